"""Structure-aware strategies for the JSON exports: Telegram, Messenger/Instagram, Slack
and X; each document is drawn with realistic values, then mutated at any level
(:func:`~fuzz.strategies.mutate_json`)."""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from .pools import emails, names, phones, pick
from .strategies import (
    EPOCHS,
    Case,
    dump_json,
    encode_text,
    hostile_number,
    hostile_text,
    json_file,
    mutate_json,
    timestamp_text,
)


# ============================================================================ JSON formats
@functools.cache
def _epoch_string() -> st.SearchStrategy[Any]:
    return st.one_of(EPOCHS.map(str), hostile_number())


# ----------------------------------------------------------------------------- Telegram
_TG_IDS = (100000001, 100000002, 100000009, 4000000001)


@functools.cache
@st.composite
def telegram_message(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(st.sampled_from(_TG_IDS))
    message: dict[str, Any] = {
        "id": draw(st.integers(0, 99)),
        "type": draw(pick("message", "message", "service", "junk")),
        "date": draw(st.one_of(EPOCHS.map(_iso_noz), timestamp_text())),
    }
    if draw(st.integers(0, 4)):
        message["date_unixtime"] = draw(_epoch_string())
    if message["type"] == "service":
        message.update(
            actor=draw(names()),
            actor_id=f"user{sender}",
            action=draw(pick("invite_members", "create_group", "phone_call")),
            members=draw(st.lists(names(), max_size=2)),
        )
    else:
        message["from"] = draw(st.one_of(st.none(), names()))
        message["from_id"] = draw(
            pick(f"user{sender}", f"channel{sender}", "user", "userx", f"user{'9' * 30}", sender)
        )
        message["text"] = draw(
            st.one_of(
                hostile_text(),
                st.lists(
                    st.one_of(
                        hostile_text(),
                        st.fixed_dictionaries(
                            {"type": pick("bold", "link"), "text": hostile_text()}
                        ),
                    ),
                    max_size=3,
                ),
            )
        )
    return message


def _iso_noz(seconds: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@functools.cache
@st.composite
def telegram_chat(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": draw(names()),
        "type": draw(
            pick(
                "personal_chat",
                "private_group",
                "private_supergroup",
                "public_channel",
                "saved_messages",
                "bot_chat",
                "junk",
            )
        ),
        "id": draw(st.sampled_from(_TG_IDS)),
        "messages": draw(st.lists(telegram_message(), max_size=4)),
    }


@functools.cache
@st.composite
def telegram_document(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 3)) == 0:
        return draw(telegram_chat())
    doc: dict[str, Any] = {
        "chats": {"about": "", "list": draw(st.lists(telegram_chat(), max_size=3))}
    }
    if draw(st.integers(0, 4)):
        doc["personal_information"] = {
            "user_id": draw(pick(100000001, "100000001", "user100000001")),
            "first_name": draw(names()),
            "last_name": draw(names()),
            "phone_number": draw(phones()),
            "username": draw(hostile_text(realistic=("@ada",))),
        }
    if draw(st.booleans()):
        doc["contacts"] = {
            "about": "",
            "list": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "first_name": names(),
                            "last_name": names(),
                            "phone_number": phones(),
                            "date": timestamp_text(),
                            "date_unixtime": _epoch_string(),
                        }
                    ),
                    max_size=3,
                )
            ),
        }
    if draw(st.booleans()):
        doc["frequent_contacts"] = {
            "about": "",
            "list": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "id": st.sampled_from(_TG_IDS),
                            "category": pick("people", "bots"),
                            "type": pick("user", "chat"),
                            "name": names(),
                            "rating": st.one_of(st.floats(), st.integers()),
                        }
                    ),
                    max_size=3,
                )
            ),
        }
    return doc


@functools.cache
def telegram_case() -> st.SearchStrategy[Case]:
    return st.builds(
        lambda d: Case((("result.json", d),), ("result.json",)), json_file(telegram_document())
    )


# ----------------------------------------------------------------------------- Messenger
_FB_NAMES = (
    "Ada Example",
    "Bo Sample",
    "Ren\u00c3\u00a9e Placeholder",
    "\u00f0\u009f\u0098\u0080",
    "“quoted”",
    "",
)


@functools.cache
@st.composite
def messenger_thread(draw: st.DrawFn) -> dict[str, Any]:
    people = st.one_of(st.sampled_from(_FB_NAMES), names())
    messages = []
    for _ in range(draw(st.integers(0, 4))):
        message: dict[str, Any] = {
            "sender_name": draw(people),
            "timestamp_ms": draw(
                st.one_of(
                    EPOCHS.map(lambda s: s * 1000),
                    pick(10**30, 1e30, -1, 0, 2**63, "1710407112000", 1.5e12, float("nan")),
                )
            ),
        }
        if draw(st.booleans()):
            message["content"] = draw(hostile_text(realistic=_FB_NAMES))
        if draw(st.integers(0, 3)) == 0:
            message["reactions"] = draw(
                st.lists(
                    st.fixed_dictionaries({"reaction": hostile_text(), "actor": people}),
                    max_size=2,
                )
            )
        if draw(st.integers(0, 5)) == 0:
            message["photos"] = [{"uri": "photo_1.jpg", "creation_timestamp": draw(EPOCHS)}]
        if draw(st.integers(0, 5)) == 0:
            message["type"] = draw(pick("Generic", "Subscribe", "Unsubscribe", "Call"))
        messages.append(message)
    return {
        "participants": [{"name": n} for n in draw(st.lists(people, max_size=3))],
        "messages": messages,
        "title": draw(people),
        "is_still_participant": True,
        "thread_type": draw(pick("Regular", "RegularGroup", "junk")),
        "thread_path": "inbox/bo_1",
        "magic_words": [],
    }


@functools.cache
@st.composite
def messenger_case(draw: st.DrawFn) -> Case:
    top = draw(
        pick(
            "messages/inbox",
            "your_activity_across_facebook/messages/inbox",
            "instagram/messages/inbox",
            "messages/archived_threads",
        )
    )
    files = []
    for thread in draw(
        st.lists(pick("bo_1", "cy_2", "book club_3"), min_size=1, max_size=2, unique=True)
    ):
        for part in range(1, draw(st.integers(1, 2)) + 1):
            files.append(
                (f"{top}/{thread}/message_{part}.json", draw(json_file(messenger_thread())))
            )
    entry = draw(st.sampled_from(["", files[0][0], files[0][0].rsplit("/", 1)[0]]))
    return Case(tuple(files), (entry,))


# ----------------------------------------------------------------------------- Slack
_SLACK_USERS = ("U0ADA0001", "U0BO00002", "U0CY00003")


@functools.cache
@st.composite
def slack_message(draw: st.DrawFn) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "user": draw(st.sampled_from(_SLACK_USERS)),
        "text": draw(hostile_text()),
        "ts": draw(st.one_of(pick("1710407112.000100", "1710407112"), hostile_number())),
    }
    if draw(st.integers(0, 3)) == 0:
        message["subtype"] = draw(
            pick("channel_join", "bot_message", "thread_broadcast", "me_message", "file_share")
        )
    if draw(st.integers(0, 3)) == 0:
        message["thread_ts"] = draw(st.one_of(pick("1710407112.000100"), hostile_number()))
    if draw(st.integers(0, 3)) == 0:
        message["reactions"] = [
            {
                "name": "+1",
                "users": draw(st.lists(st.sampled_from(_SLACK_USERS), max_size=3)),
                "count": draw(st.integers(-1, 5)),
            }
        ]
    return message


@functools.cache
@st.composite
def slack_case(draw: st.DrawFn) -> Case:
    users = [
        {
            "id": u,
            "name": draw(names()),
            "real_name": draw(names()),
            "deleted": False,
            "is_bot": draw(st.booleans()),
            "profile": {
                "real_name": draw(names()),
                "display_name": draw(names()),
                "email": draw(emails()),
            },
        }
        for u in _SLACK_USERS
    ]
    members = st.lists(st.sampled_from(_SLACK_USERS), max_size=3)
    listings = {
        "channels.json": [
            {
                "id": "C0GEN0001",
                "name": "general",
                "created": draw(EPOCHS),
                "creator": "U0ADA0001",
                "members": draw(members),
            }
        ],
        "dms.json": [{"id": "D0DM00001", "created": draw(EPOCHS), "members": draw(members)}],
        "mpims.json": [
            {"id": "G0MPIM001", "name": "mpdm-ada--bo--cy-1", "members": draw(members)}
        ],
        "groups.json": [{"id": "G0PRIV001", "name": "private", "members": draw(members)}],
    }
    files = [("users.json", users)]
    files += [(name, doc) for name, doc in listings.items() if draw(st.booleans())]
    folders = {
        "channels.json": "general",
        "dms.json": "D0DM00001",
        "mpims.json": "mpdm-ada--bo--cy-1",
        "groups.json": "private",
    }
    for name, _ in list(files[1:]):
        if draw(st.booleans()):
            day = draw(pick("2024-03-14", "9999-99-99", "x"))
            files.append(
                (f"{folders[name]}/{day}.json", draw(st.lists(slack_message(), max_size=4)))
            )
    # Mutate one or two of the files' documents at any level.
    out = []
    targets = set(draw(st.lists(st.integers(0, len(files) - 1), max_size=2)))
    for index, (rel, doc) in enumerate(files):
        if index in targets:
            doc = draw(mutate_json(doc))
        out.append((rel, draw(dump_json(doc))))
    return Case(tuple(out), ("",))


# ----------------------------------------------------------------------------- X / Twitter
_X_IDS = ("222000111", "1400000000000000001", "333000222")


@functools.cache
def _x_id() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(_X_IDS), pick(222000111, "", "-", "a-b-c"))


@functools.cache
@st.composite
def x_item(draw: st.DrawFn) -> dict[str, Any]:
    created = draw(st.one_of(EPOCHS.map(lambda s: _iso_noz(s) + ".000Z"), timestamp_text()))
    kind = draw(
        pick(
            "messageCreate",
            "messageCreate",
            "joinConversation",
            "participantsJoin",
            "participantsLeave",
            "conversationNameUpdate",
            "reactionCreate",
        )
    )
    if kind == "messageCreate":
        body = {
            "recipientId": draw(_x_id()),
            "senderId": draw(_x_id()),
            "text": draw(hostile_text()),
            "id": "1712000000000000001",
            "createdAt": created,
            "mediaUrls": [],
            "urls": [],
            "reactions": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "senderId": _x_id(),
                            "reactionKey": pick("like", "funny"),
                            "eventId": pick("1", "2"),
                            "createdAt": st.just(created),
                        }
                    ),
                    max_size=2,
                )
            ),
        }
    elif kind == "reactionCreate":
        body = {
            "senderId": draw(_x_id()),
            "reactionKey": "like",
            "eventId": "1",
            "createdAt": created,
        }
    else:
        body = {
            "initiatingUserId": draw(_x_id()),
            "userIds": draw(st.lists(_x_id(), max_size=3)),
            "participantsSnapshot": draw(st.lists(_x_id(), max_size=3)),
            "name": draw(hostile_text()),
            "createdAt": created,
        }
    return {kind: body}


@functools.cache
@st.composite
def x_conversations(draw: st.DrawFn) -> list[Any]:
    conversations = []
    for _ in range(draw(st.integers(0, 3))):
        cid = draw(
            st.one_of(
                pick("222000111-1400000000000000001", "1612345678901234567", "a-b-c", "-", ""),
                hostile_text(),
            )
        )
        conversations.append(
            {
                "dmConversation": {
                    "conversationId": cid,
                    "messages": draw(st.lists(x_item(), max_size=4)),
                }
            }
        )
    return conversations


@st.composite
def _js(draw: st.DrawFn, name: str, doc: Any) -> bytes:
    body = draw(dump_json(draw(mutate_json(doc))))
    prefix = draw(
        pick(
            f"window.YTD.{name}.part0 = ",
            f"window.YTD.{name}.part0 =",
            "= ",
            "window.YTD = ",
            "",
            "window.__THAR_CONFIG = ",
        )
    )
    return encode_text(prefix) + body


@functools.cache
@st.composite
def twitter_case(draw: st.DrawFn) -> Case:
    files = [("data/direct-messages.js", draw(_js("direct_messages", draw(x_conversations()))))]
    if draw(st.booleans()):
        files.append(
            (
                "data/direct-messages-group.js",
                draw(_js("direct_messages_group", draw(x_conversations()))),
            )
        )
    if draw(st.booleans()):
        manifest = {
            "userInfo": {
                "accountId": draw(_x_id()),
                "userName": draw(names()),
                "displayName": draw(names()),
            }
        }
        files.append(
            (
                "data/manifest.js",
                encode_text("window.__THAR_CONFIG = ")
                + draw(dump_json(draw(mutate_json(manifest)))),
            )
        )
    if draw(st.booleans()):
        account = [
            {
                "account": {
                    "accountId": draw(_x_id()),
                    "username": draw(names()),
                    "accountDisplayName": draw(names()),
                    "email": "ada@example.com",
                }
            }
        ]
        files.append(("data/account.js", draw(_js("account", account))))
    entry = draw(pick("", "data", "data/direct-messages.js"))
    return Case(tuple(files), (entry,))
