"""Phone numbers in E.164 form, placed by libphonenumber (the ``phonenumbers`` package).

A number written with its country code (``+44 20 7946 0000``) is placed whatever the
region; a national number (``020 7946 0000``, ``(555) 010-0101``) only with the user's
**default region**, whose trunk prefix, international prefix and number lengths
libphonenumber knows. A number it cannot place is reported as unplaced with the reason,
never guessed.

"Placed" means *possible* in libphonenumber's sense (the right length for its country),
not *valid* (inside a range that is assigned today): the fictional numbers of films and
documentation (``+1 555 010 0100``) are unassigned, and an address book keeps numbers from
ranges that have been re-planned since.
"""

from __future__ import annotations

import functools
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from trustgraph.ingest.records import ReadReport

__all__ = [
    "DEFAULT_REGION",
    "PhonePlacement",
    "check_region",
    "normalize_phone",
    "owner_region",
    "place_phone",
    "resolve_region",
]

#: The region assumed for national numbers when a caller names none. Callers that know
#: the user's country pass it as ``default_region=``; None places only numbers written with
#: their country code.
DEFAULT_REGION: str | None = "US"

# libphonenumber's name for "no region": it places only numbers with a country code.
_UNKNOWN_REGION = "ZZ"
_NOT_A_NUMBER = "not a phone number"
_PARSE_PROBLEMS = {
    NumberParseException.INVALID_COUNTRY_CODE: "no country code and no default region",
    NumberParseException.NOT_A_NUMBER: _NOT_A_NUMBER,
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}
_LENGTH_PROBLEMS = {
    ValidationResult.INVALID_COUNTRY_CODE: "unknown country code",
    ValidationResult.TOO_SHORT: "too short for its country",
    ValidationResult.TOO_LONG: "too long for its country",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "local number without its area code",
    ValidationResult.INVALID_LENGTH: "wrong length for its country",
}


@dataclass(frozen=True)
class PhonePlacement:
    """What :func:`place_phone` made of one raw number.

    Attributes
    ----------
    number : str or None
        The number in E.164 form (``+442079460000``), None when it could not be placed.
    extension : str or None
        The extension libphonenumber read (``ext. 12``, ``;ext=102``, ``x 12``); E.164 has
        none, so it is not part of `number`.
    problem : str or None
        Why the number was not placed (``"no country code and no default region"``, ``"too
        long for its country"``, ``"not a phone number"``...); None when it was.
    """

    number: str | None
    extension: str | None = None
    problem: str | None = None


def check_region(region: str | None) -> str | None:
    """Return `region` as libphonenumber's upper-case region code; None for no region.

    Parameters
    ----------
    region : str or None
        An ISO 3166-1 alpha-2 code (``"GB"``, ``"de"``) or None. ``"ZZ"``, libphonenumber's
        unknown region, is the same as None.

    Raises
    ------
    ValueError
        A code libphonenumber does not know, named in the message (``"UK"`` is ``"GB"``).

    Examples
    --------
    >>> check_region("gb"), check_region(None), check_region("ZZ")
    ('GB', None, None)
    """
    if region is None:
        return None
    code = str(region).strip().upper()
    if code == _UNKNOWN_REGION:
        return None
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(
            f"unknown phone region {region!r}: use an ISO 3166 two-letter code such as "
            "'GB' or 'US', or None to accept only numbers written with their country code"
        )
    return code


def owner_region(me: Iterable[str]) -> str | None:
    """The region of the first of the owner's identifiers that is an international number.

    A person's own number, written with its country code, says which country their
    national numbers belong to; e-mail addresses and names say nothing.

    Examples
    --------
    >>> owner_region(["ada@example.org", "+44 7700 900123"])
    'GB'
    >>> owner_region(["ada@example.org", "020 7946 0018"]) is None
    True
    """
    for value in me:
        text = str(value).strip()
        if not text.startswith(("+", "00")) or "@" in text:
            continue
        try:
            number = phonenumbers.parse(text, None if text.startswith("+") else "DE")
        except NumberParseException:
            continue
        # The country code's main region: fictional and reserved ranges have no region
        # of their own, and +1 or +7 numbers share their national rules anyway.
        region = phonenumbers.region_code_for_country_code(number.country_code)
        if region and region != _UNKNOWN_REGION:
            return region
    return None


def resolve_region(region: str | None, me: Iterable[str] = ()) -> tuple[str | None, str]:
    """The region for national numbers, and where it came from.

    The user's `region` (``--region``) wins; otherwise the country of the owner's own
    international number (:func:`owner_region`); otherwise :data:`DEFAULT_REGION`.

    Returns
    -------
    (str or None, str)
        The region code and ``"given"``, ``"owner's number"`` or ``"default"``.

    Raises
    ------
    ValueError
        An unknown region code (see :func:`check_region`).

    Examples
    --------
    >>> resolve_region(None, ["+33 1 99 00 12 34"])
    ('FR', "owner's number")
    >>> resolve_region("gb", ["+33 1 99 00 12 34"])
    ('GB', 'given')
    """
    if region is not None:
        return check_region(region), "given"
    found = owner_region(me)
    if found is not None:
        return found, "owner's number"
    return DEFAULT_REGION, "default"


def place_phone(
    value: str | None, *, default_region: str | None = DEFAULT_REGION
) -> PhonePlacement:
    """Place a raw phone number with libphonenumber: E.164 form, extension, or the reason not.

    Parameters
    ----------
    value : str or None
        A raw number: ``+1 555 010 0100``, ``(555) 010-0100``, ``020 7946 0000``,
        ``tel:+1-418-656-9254;ext=102`` (RFC 3966)...
    default_region : str or None, default "US"
        ISO 3166 code of the country whose national numbers `value` may be written in
        (trunk prefix ``0`` in ``020 7946 0000`` for ``"GB"``, international prefix ``011``
        for ``"US"``). None places only numbers written with their country code (``+44``).

    Returns
    -------
    PhonePlacement
        ``number`` in E.164 form and the ``extension``, or ``problem`` saying why the value
        was not placed.

    Raises
    ------
    ValueError
        `default_region` is not a region libphonenumber knows.

    Notes
    -----
    Letters are accepted only in an extension marker (``ext.``, ``x``): libphonenumber
    would also read vanity numbers (``1-800-FLOWERS``) and the digits at the end of a
    display name (``Mum 555 010 0100``), and a name is not a number. Text is NFKC-folded
    first, so narrow and no-break spaces separate digits as spaces do.

    References
    ----------
    .. [1] ITU-T Recommendation E.164, "The international public telecommunication
       numbering plan", 2010.
    .. [2] Google, libphonenumber (``PhoneNumberUtil.parse`` and
       ``isPossibleNumberWithReason``), https://github.com/google/libphonenumber.

    Examples
    --------
    >>> place_phone("020 7946 0000", default_region="GB").number
    '+442079460000'
    >>> place_phone("tel:+1-418-656-9254;ext=102", default_region=None)
    PhonePlacement(number='+14186569254', extension='102', problem=None)
    >>> place_phone("020 7946 0000", default_region=None).problem
    'no country code and no default region'
    """
    if not value:
        return PhonePlacement(None, None, _NOT_A_NUMBER)
    return _place(value, check_region(default_region))


@functools.lru_cache(maxsize=1 << 16)
def _place(value: str, region: str | None) -> PhonePlacement:
    # Readers meet the same few numbers again and again (a WhatsApp author per message).
    text = unicodedata.normalize("NFKC", value).strip()
    if text[:4].lower() == "tel:":
        text = text[4:].strip()  # the letters of the scheme are not a name
    if not text:
        return PhonePlacement(None, None, _NOT_A_NUMBER)
    try:
        parsed = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and text[0] == "+":
            return PhonePlacement(None, None, "unknown country code")
        return PhonePlacement(None, None, _PARSE_PROBLEMS.get(exc.error_type, _NOT_A_NUMBER))
    if _letters_outside_extension(text, parsed, region):
        return PhonePlacement(None, None, _NOT_A_NUMBER)
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason != ValidationResult.IS_POSSIBLE:
        return PhonePlacement(None, None, _LENGTH_PROBLEMS.get(reason, _NOT_A_NUMBER))
    number = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    return PhonePlacement(number, parsed.extension or None, None)


def _letters_outside_extension(
    text: str, parsed: phonenumbers.PhoneNumber, region: str | None
) -> bool:
    """True when `text` has letters that are not libphonenumber's extension marker."""
    first = next((i for i, char in enumerate(text) if char.isalpha()), None)
    if first is None:
        return False
    if not parsed.extension:
        return True
    try:
        head = phonenumbers.parse(text[:first], region)
    except NumberParseException:
        return True
    return (head.country_code, head.national_number) != (
        parsed.country_code,
        parsed.national_number,
    )


def normalize_phone(
    value: str | None,
    *,
    default_region: str | None = DEFAULT_REGION,
    default_country_code: str | None = None,
) -> str | None:
    """Return a phone number in E.164 form (``+15550100100``), or None if it is not placed.

    Parameters
    ----------
    value : str or None
        A raw number: ``+1 555 010 0100``, ``(555) 010-0100``, ``011 44 20 7946 0000``...
    default_region : str or None, default "US"
        Region of national numbers (see :func:`place_phone`); None accepts only numbers
        written with their country code.
    default_country_code : str or None
        Deprecated: the calling code (``"44"``) of the default region; its main region
        (``"GB"``) is used instead of `default_region`.

    Returns
    -------
    str or None
        ``"+"`` and the country code and national number; None when libphonenumber cannot
        place `value` (use :func:`place_phone` to learn why). An extension is dropped, as
        E.164 has none.

    Raises
    ------
    ValueError
        `default_region` is not a region libphonenumber knows.

    References
    ----------
    .. [1] ITU-T Recommendation E.164, "The international public telecommunication
       numbering plan", 2010.

    Examples
    --------
    >>> normalize_phone("+1 555 010 0100")
    '+15550100100'
    >>> normalize_phone("(555) 010-0101")
    '+15550100101'
    >>> normalize_phone("011 44 20 7946 0000")
    '+442079460000'
    >>> normalize_phone("020 7946 0000", default_region="GB")
    '+442079460000'
    >>> normalize_phone("06 12 34 56 78", default_region="FR")
    '+33612345678'
    >>> normalize_phone("Ada Example") is None
    True
    """
    if default_country_code is not None:
        default_region = _region_of_calling_code(default_country_code)
    return place_phone(value, default_region=default_region).number


def _region_of_calling_code(code: str) -> str | None:
    warnings.warn(
        "normalize_phone(default_country_code=...) is deprecated: pass default_region= "
        "with an ISO 3166 region code instead",
        DeprecationWarning,
        stacklevel=3,
    )
    digits = str(code).strip().lstrip("+")
    region = phonenumbers.region_code_for_country_code(int(digits)) if digits.isdigit() else None
    if region in (None, _UNKNOWN_REGION):
        raise ValueError(f"unknown country calling code {code!r}")
    return region


def unplaced_note(report: ReadReport, key: str, unit: str, region: str | None) -> str:
    """Say why ``report.records[key]`` records with phone numbers gave no contact, and add
    it to the report's notes (an empty string when none did): a bare ``555-0123`` is a
    number of some country, which only the region can name.

    Examples
    --------
    >>> from trustgraph.ingest.records import ReadReport
    >>> report = ReadReport(path="c.vcf", format="vcard")
    >>> report.records["unplaced"] = 2
    >>> unplaced_note(report, "unplaced", "card", None)[:48]
    '2 card(s) without e-mail or phone skipped becaus'
    >>> len(report.notes)
    1
    """
    count = report.records[key]
    if not count:
        return ""
    where = f"in region {region}" if region else "without a region (none given)"
    text = (
        f"{count} {unit}(s) without e-mail or phone skipped because their only identifiers "
        f"are phone numbers that libphonenumber cannot place {where}; --region "
        "(default_region=) names the country of numbers written without their country code"
    )
    report.notes.append(text)
    return text
