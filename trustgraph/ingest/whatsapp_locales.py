"""Data tables for WhatsApp chat exports: clock markers, digits, eras and localised markers.

Nothing here is code: the reader (:mod:`trustgraph.ingest.whatsapp`) and the header
layouts (:mod:`trustgraph.ingest.whatsapp_layouts`) compile these tables once, at import.
Adding a language means adding strings, never a branch.

Where the strings were checked
------------------------------
- AM/PM words: ``p. m.``/``a. m.`` and ``p.m.`` in joweich/chat-miner
  ``test/whatsapp/testlog.txt``; U+202F before ``PM`` in Pustur/whatsapp-chat-parser #248;
  ``上午/下午`` and ``오전/오후`` in hellodigua/ChatLab #282; the others are the
  ``AmPmMarkers`` of the Unicode CLDR locale data WhatsApp's date formatting uses (ICU),
  for the languages listed.
- Japanese eras: the CLDR ``japanese`` calendar (era start years, ``R``/``H`` abbreviations
  of the ``GGGGG`` narrow form); the Buddhist era offset (543) from the CLDR ``buddhist``
  calendar, the calendar of Thai phones.
- Native digits: the Unicode ``Nd`` blocks (``unicodedata.digit`` agrees; tested).
"""

from __future__ import annotations

__all__ = [
    "AM_PM",
    "BUDDHIST_ERA_OFFSET",
    "BUDDHIST_ERA_SUFFIXES",
    "JAPANESE_ERAS",
    "MARKERS",
    "NATIVE_DIGIT_ZEROS",
]

#: Clock markers by language: (morning words, afternoon words). Latin ``am``/``a.m.``/
#: ``A. M.`` in any case and spacing are matched by one pattern and need no entry; words
#: are compared after removing dots and spaces and lower-casing, so ``p. m.`` = ``p.m.``.
AM_PM: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (("AM", "a.m."), ("PM", "p.m.")),
    "es": (("a. m.",), ("p. m.",)),
    "zh": (("上午",), ("下午",)),
    "ja": (("午前",), ("午後",)),
    "ko": (("오전",), ("오후",)),
    "ar": (("ص",), ("م",)),
    "fa": (("ق.ظ.",), ("ب.ظ.",)),
    "hu": (("de.",), ("du.",)),
    "el": (("π.μ.",), ("μ.μ.",)),
    "vi": (("SA",), ("CH",)),
    "th": (("ก่อนเที่ยง",), ("หลังเที่ยง",)),
    "hi": (("पूर्वाह्न",), ("अपराह्न",)),
    "tr": (("ÖÖ",), ("ÖS",)),
    "cs": (("dop.",), ("odp.",)),
    "de": (("vorm.",), ("nachm.",)),
    "sv": (("fm",), ("em",)),
    "fi": (("ap.",), ("ip.",)),
    "he": (("לפנה״צ",), ("אחה״צ",)),
    "ms": (("PG",), ("PTG",)),
    "bn": (("পূর্বাহ্ণ",), ("অপরাহ্ণ",)),
}

#: The first code point (digit zero) of each run of ten native digits WhatsApp writes
#: in dates and times: Arabic-Indic, Persian (extended Arabic-Indic), Devanagari, Bengali,
#: Thai, Myanmar. Full-width digits need no entry: NFKC folds them.
NATIVE_DIGIT_ZEROS: tuple[str, ...] = (
    "\u0660",  # ٠ Arabic-Indic
    "\u06f0",  # ۰ Persian
    "\u0966",  # ० Devanagari
    "\u09e6",  # ০ Bengali
    "\u0e50",  # ๐ Thai
    "\u1040",  # ၀ Myanmar
)

#: Japanese-calendar eras: prefix before the year -> Gregorian year of the era's year 1
#: (``R4`` = Reiwa 4 = 2019 + 4 - 1 = 2022; ``H31`` = 2019).
JAPANESE_ERAS: dict[str, int] = {
    "M": 1868,
    "T": 1912,
    "S": 1926,
    "H": 1989,
    "R": 2019,
    "明治": 1868,
    "大正": 1912,
    "昭和": 1926,
    "平成": 1989,
    "令和": 2019,
}

#: Buddhist-era years are Gregorian + 543 (2565 BE = 2022). A four-digit year in
#: [BUDDHIST_ERA_FROM, BUDDHIST_ERA_TO) is read as Buddhist era even without a suffix (no
#: chat is dated 2400-2699); later years stay Gregorian, so that 9999 is still out of range.
BUDDHIST_ERA_OFFSET = 543
BUDDHIST_ERA_FROM = 2400
BUDDHIST_ERA_TO = 2700
BUDDHIST_ERA_SUFFIXES: tuple[str, ...] = ("BE", "B.E.", "พ.ศ.")

# ----------------------------------------------------------------------------- markers
#: What WhatsApp writes in place of a message body, by language (the 15 most used
#: WhatsApp languages at least). Keys:
#:
#: ``media``
#:     Whole bodies meaning "a photo, video... was here but the export left it out": the
#:     Android ``<Media omitted>`` placeholder and the iOS ``image omitted`` family.
#: ``document``
#:     The iOS suffix after a file name (``Notes.pdf • 2 pages document omitted``).
#: ``attached``
#:     The word in an iOS ``<attached: 00000012-PHOTO-....jpg>`` and in an Android
#:     ``IMG-20240314-WA0001.jpg (file attached)`` line (exports with media).
#: ``deleted``
#:     Whole bodies of a deleted message (by its author, or "you deleted").
#: ``edited``
#:     The tag WhatsApp appends to an edited message's text (not counted as text).
#: ``encryption``
#:     How the end-to-end encryption notice starts. iOS writes it with the contact's or
#:     the group's name as author: it is still a system line, never that person's message.
#: ``security``
#:     Part of the "your security code with X changed" notice (also authored on iOS).
#: ``group``
#:     Words of the authorless lines that only a group has (created group, added, left).
#:
#: Where the strings were checked: ``media``, ``document``, ``attached``, ``deleted``,
#: ``encryption`` and ``security`` in starkdmi/whats_json ``lib/src/patterns.dart`` (which
#: collected them from WhatsApp's Android ``strings.xml`` and iOS ``Localizable.strings``),
#: with its test exports ``test/data/calendars/Buddhist iOS.txt`` and
#: ``test/data/chats_unique/Japanese iOS.txt``; the Android placeholders also in
#: joweich/chat-miner ``test/whatsapp/testlog.txt`` (en), project files quoting
#: ``<Multimedia omitido>`` (es), ``<Arquivo de mídia oculto>`` (pt-BR), ``<Media omessi>``
#: (it), ``<Medien ausgeschlossen>`` (de) and ``<Media tidak disertakan>`` (id) found with
#: the code search. ``edited``: ``<This message was edited>`` in FORMATS.md §2.4 and
#: Dlurak/Whis ``src/lib/constants/whatsapp.ts``; ``<Se editó este mensaje.>`` in a Spanish
#: parser's documentation; the other languages from a multilingual "WhatsApp Group
#: Wrapped" script (reported, not verified on an export). ``group``: the English words in
#: FORMATS.md §2.4 and whats_json's key list, Turkish in mtln/chat-export #16, the others
#: from JaydenCJ/chatcarve ``tests`` rows (reported, not verified on an export). Chinese
#: (Simplified and Traditional in one table, as the AM/PM words are shared): the markers of
#: hellodigua/ChatLab's WhatsApp text parser (reported, not verified on an export), and the
#: Simplified encryption notice as EricluvPython/mimic.ai's ``test_parser.py`` writes it.
#: ``system_author``: the pseudo-author that chat tools write before system lines when they
#: re-export a chat (rodrigogs/whats-reader's French, German and Spanish examples: ``Système:``,
#: ``System:``, ``Sistema:``; the other languages' word for "system"); WhatsApp itself writes
#: system lines without an author.
# fmt: off
MARKERS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "system_author": ("System",),
        "media": ("<Media omitted>", "image omitted", "video omitted", "audio omitted",
                  "sticker omitted", "GIF omitted", "Contact card omitted"),
        "document": ("document omitted",),
        "attached": ("attached", "file attached"),
        "deleted": ("This message was deleted", "You deleted this message",
                    "This message was deleted by an admin", "You deleted this message as admin"),
        "edited": ("<This message was edited>",),
        "encryption": ("Messages and calls are end-to-end encrypted",
                       "Messages to this group are now secured with end-to-end encryption",
                       "Messages you send to this chat and calls are now secured with end-to-end"),
        "security": ("Your security code with",),
        "group": ("created group", "added", "removed", "left", "changed the subject",
                  "changed this group", "changed the group", "joined using this group",
                  "You were added", "You're now an admin"),
    },
    "es": {
        "system_author": ("Sistema",),
        "media": ("<Multimedia omitido>", "<Archivo omitido>", "imagen omitida", "Video omitido",
                  "audio omitido", "sticker omitido", "GIF omitido",
                  "Tarjeta de contacto omitida"),
        "document": ("documento omitido",),
        "attached": ("adjunto", "archivo adjunto", "archivo adjuntado"),
        "deleted": ("Se eliminó este mensaje", "Este mensaje fue eliminado",
                    "Eliminaste este mensaje"),
        "edited": ("<Se editó este mensaje.>", "<Este mensaje fue editado>"),
        "encryption": ("Los mensajes y las llamadas están cifrados de extremo a extremo",
                       "Tus mensajes y llamadas ahora están protegidos con cifrado"),
        "security": ("Cambió tu código de seguridad con",),
        "group": ("creó el grupo", "añadió", "salió del grupo", "eliminó a", "se unió usando"),
    },
    "pt": {
        "system_author": ("Sistema",),
        "media": ("<Arquivo de mídia oculto>", "<Mídia omitida>", "<Mídia oculta>",
                  "<Ficheiro não revelado>", "imagem ocultada", "imagem não revelada",
                  "vídeo omitido", "vídeo não revelado", "áudio ocultado", "figurinha omitida",
                  "sticker não revelado", "GIF não revelada", "Cartão do contato omitido",
                  "Contacto não revelado"),
        "document": ("documento omitido", "documento não revelado"),
        "attached": ("anexado", "anexo", "arquivo anexado", "ficheiro anexado"),
        "deleted": ("Esta mensagem foi apagada", "Mensagem apagada", "Você apagou esta mensagem",
                    "Apagou esta mensagem"),
        "edited": ("<Esta mensagem foi editada>",),
        "encryption": ("As mensagens e as chamadas são protegidas com a criptografia de ponta",
                       "As mensagens e chamadas são encriptadas ponto a ponto"),
        "security": ("Seu código de segurança com", "O seu código de segurança partilhado com"),
        "group": ("criou o grupo", "adicionou", "saiu", "removeu", "entrou usando"),
    },
    "hi": {
        "system_author": ("सिस्टम",),
        "media": ("<मीडिया के बिना>", "फ़ोटो हटाई गई", "वीडियो छोड़ा गया", "ऑडियो हटाई गयी",
                  "स्टिकर छोड़ा गया", "GIF छोड़ा गया", "कॉन्टैक्ट कार्ड छोड़ा गया"),
        "document": ("डॉक्यूमेंट छोड़ा गया",),
        "attached": ("अटैच किया गया", "फाइल अटैच कर दी गई है"),
        "deleted": ("यह मैसेज डिलीट कर दिया गया है", "यह संदेश मिटाया गया", "आपने यह मैसेज डिलीट किया",
                    "आपने यह संदेश मिटाया"),
        "edited": (),
        "encryption": ("मैसेजेस और कॉल्स एंड-टू-एंड एन्क्रिप्टेड हैं",),
        "security": ("के लिए आपका सुरक्षा कोड बदल गया है",),
        "group": ("ने ग्रुप बनाया", "को जोड़ा"),
    },
    "id": {
        "system_author": ("Sistem",),
        "media": ("<Media tidak disertakan>", "gambar tidak disertakan", "video tidak disertakan",
                  "audio tidak disertakan", "stiker tidak disertakan", "GIF tidak disertakan",
                  "Kartu kontak tidak disertakan"),
        "document": ("dokumen tidak disertakan",),
        "attached": ("terlampir", "file terlampir"),
        "deleted": ("Pesan ini dihapus", "Pesan ini telah dihapus", "Anda menghapus pesan ini",
                    "Anda telah menghapus pesan ini"),
        "edited": (),
        "encryption": ("Pesan dan panggilan terenkripsi secara end-to-end",),
        "security": ("Kode keamanan Anda dengan",),
        "group": ("membuat grup", "menambahkan", "keluar"),
    },
    "ar": {
        "system_author": ("النظام",),
        "media": ("<تم استبعاد الوسائط>", "لم يتم إدراج الصورة", "لم يتم إدراج الفيديوهات",
                  "لم يتم إدراج المقاطع الصوتية", "تم حذف الملصقات", "لم يتم إدراج صورة GIF",
                  "لم يتم إدراج بطاقة جهة اتصال"),
        "document": ("لم يتم إدراج المستند",),
        "attached": ("المُرفق", "الملف مرفق"),
        "deleted": ("تم حذف هذه الرسالة", "لقد حذَفت هذه الرسالة", "أنت حذفت هذه الرسالة"),
        "edited": (),
        "encryption": ("الرسائل والمكالمات مشفرة تمامًا بين الطرفين",),
        "security": ("تغيّر رمز أمانك المُستخدَم مع",),
        "group": ("أنشأ المجموعة", "أضاف"),
    },
    "ru": {
        "system_author": ("Система",),
        "media": ("<Без медиафайлов>", "<Файл пропущен>", "изображение отсутствует",
                  "видео отсутствует", "аудиофайл отсутствует", "стикер не добавлен",
                  "GIF отсутствует", "Карточка контакта отсутствует"),
        "document": ("документ отсутствует",),
        "attached": ("прикреплено", "файл добавлен"),
        "deleted": ("Данное сообщение удалено", "Это сообщение удалено",
                    "Вы удалили это сообщение",
                    "Вы удалили данное сообщение"),
        "edited": ("<Это сообщение изменено>",),
        "encryption": ("Сообщения и звонки защищены сквозным шифрованием",
                       "Ваши сообщения и звонки защищены сквозным шифрованием"),
        "security": ("Ваш код безопасности с контактом",),
        "group": ("создал(а) группу", "добавил(а)", "вышел(-ла)", "добавила", "добавил"),
    },
    "de": {
        "system_author": ("System",),
        "media": ("<Medien ausgeschlossen>", "<Medien weggelassen>", "Bild weggelassen",
                  "Video weggelassen", "Audio weggelassen", "Sticker weggelassen",
                  "GIF weggelassen", "Kontaktkarte ausgelassen"),
        "document": ("Dokument weggelassen",),
        "attached": ("Anhang", "angehängt", "Datei angehängt"),
        "deleted": ("Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht"),
        "edited": ("<Diese Nachricht wurde bearbeitet>",),
        "encryption": ("Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
                       "Deine Nachrichten und Anrufe werden automatisch mit Ende-zu-Ende"),
        "security": ("Deine Sicherheitsnummer für",),
        "group": ("hat die Gruppe", "hinzugefügt", "hat die Gruppe verlassen", "entfernt"),
    },
    "fr": {
        "system_author": ("Système",),
        "media": ("<Médias omis>", "<Fichier omis>", "image absente", "vidéo absente",
                  "audio omis",
                  "sticker omis", "GIF retiré", "Fiche contact manquante"),
        "document": ("document manquant",),
        "attached": ("pièce jointe", "fichier joint"),
        "deleted": ("Ce message a été supprimé", "Vous avez supprimé ce message"),
        "edited": ("<Ce message a été modifié>",),
        "encryption": ("Les messages et les appels sont chiffrés de bout en bout",
                       "Vos messages et vos appels sont protégés avec le chiffrement"),
        "security": ("Votre code de sécurité avec",),
        "group": ("a créé le groupe", "a ajouté", "est parti", "a retiré"),
    },
    "it": {
        "system_author": ("Sistema",),
        "media": ("<Media omessi>", "<Media omesso>", "immagine omessa", "video omesso",
                  "audio omesso", "sticker non incluso", "GIF esclusa", "Scheda contatto omessa"),
        "document": ("documento omesso",),
        "attached": ("allegato", "file allegato"),
        "deleted": ("Questo messaggio è stato eliminato", "Hai eliminato questo messaggio"),
        "edited": ("<Questo messaggio è stato modificato>",),
        "encryption": ("I messaggi e le chiamate sono crittografati end-to-end",
                       "I tuoi messaggi e le tue chiamate sono protetti con la crittografia"),
        "security": ("Il tuo codice di sicurezza con",),
        "group": ("ha creato il gruppo", "ha aggiunto", "è uscito", "ha rimosso"),
    },
    "tr": {
        "system_author": ("Sistem",),
        "media": ("<Medya dahil edilmedi>", "<Medya atlanmış>", "görüntü dahil edilmedi",
                  "video dahil edilmedi", "ses dahil edilmedi", "Çıkartma dahil edilmedi",
                  "GIF dahil edilmedi", "Kişi kartı dahil edilmedi"),
        "document": ("belge dahil edilmedi",),
        "attached": ("eklendi", "dosya ekli"),
        "deleted": ("Bu mesaj silindi", "Bu mesajı sildiniz"),
        "edited": (),
        "encryption": ("Mesajlar ve aramalar uçtan uca şifrelidir",
                       "Mesajlarınız artık uçtan uca şifreleme ile korunmaktadır"),
        "security": ("ile aranızdaki güvenlik kodu değişti",),
        "group": ("grubunu oluşturdu", "ekledi", "gruptan ayrıldı", "çıkardı"),
    },
    "ja": {
        "system_author": ("システム",),
        "media": ("<メディアは含まれていません>", "画像は含まれていません",
                  "ビデオは含まれていません",
                  "音声は含まれていません", "スタンプは含まれていません", "GIFは含まれていません",
                  "連絡先カードを省略"),
        "document": ("ドキュメントは含まれていません",),
        "attached": ("添付ファイル", "添付ファイル有り"),
        "deleted": ("このメッセージは削除されました", "このメッセージを削除しました"),
        "edited": (),
        "encryption": ("メッセージと通話はエンドツーエンド暗号化されています",
                       "メッセージと通話は、エンドツーエンドの暗号化によって保護されています"),
        "security": ("とのセキュリティコードが変更されました",),
        "group": ("がグループ", "を追加しました", "が退出しました"),
    },
    "zh": {
        "system_author": ("系统", "系統"),
        "media": ("<省略影音内容>", "<已省略多媒體檔案>", "圖片已略去", "影片已略去", "音訊已略去",
                  "貼圖已略去", "貼圖已忽略"),
        "document": (),
        "attached": ("已附加", "附件"),
        "deleted": ("这条消息已删除", "此訊息已刪除", "你已刪除此訊息"),
        "edited": (),
        "encryption": ("消息和通话已进行端到端加密", "你发送给自己的消息已进行端到端加密",
                       "訊息與通話已受端對端加密保護"),
        "security": (),
        "group": ("创建了此群组", "加入群组", "添加了", "退出了群组", "移除了", "建立了此群組",
                  "加入了群組", "已新增", "已離開群組", "已移除"),
    },
    "th": {
        "system_author": ("ระบบ",),
        "media": ("<สื่อถูกลบ>", "ไม่มีรูปภาพ", "วิดีโอถูกลบ", "ไม่มีไฟล์เสียง", "ไม่มีสติกเกอร์",
                  "ละเว้น GIF", "บัตรรายชื่อที่ละเว้น"),
        "document": ("ละเว้นเอกสาร",),
        "attached": ("แนบ", "ไฟล์ที่แนบ"),
        "deleted": ("ข้อความนี้ถูกลบแล้ว", "ข้อความนี้ได้ถูกลบ", "คุณได้ลบข้อความนี้", "คุณลบข้อความนี้"),
        "edited": (),
        "encryption": ("ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง",),
        "security": ("รหัสความปลอดภัยของคุณกับ",),
        "group": ("สร้างกลุ่ม", "เพิ่ม"),
    },
    "cs": {
        "system_author": ("Systém",),
        "media": ("<Média vynechána>", "<Média vynechány>", "obrázek vynechán", "video vynecháno",
                  "zvukový soubor vynechán", "nálepka vynechána", "GIF vynechán",
                  "Vizitka vynechána"),
        "document": ("dokument vynechán",),
        "attached": ("příloha", "soubor byl přiložen"),
        "deleted": ("Tato zpráva byla smazána", "Tato zpráva byla odstraněna",
                    "Tuto zprávu jste smazal/a", "Tuto zprávu jste odstranil/a"),
        "edited": (),
        "encryption": ("Zprávy a hovory jsou opatřeny koncovým šifrováním",
                       "Zprávy a hovory jsou zabezpečeny",
                       "Vaše zprávy a hovory jsou zabezpečeny koncovým šifrováním"),
        "security": ("Bezpečnostní kód mezi vámi a uživatelem",),
        "group": ("vytvořil(a) skupinu", "přidal(a)", "opustil(a)"),
    },
    "nl": {
        "system_author": ("Systeem",),
        "media": ("<Media weggelaten>", "afbeelding weggelaten", "video weggelaten",
                  "audio weggelaten", "sticker weggelaten", "GIF weggelaten",
                  "Visitekaartje weggelaten"),
        "document": ("document weggelaten",),
        "attached": ("bijgevoegd", "bestand bijgevoegd"),
        "deleted": ("Dit bericht is verwijderd", "U hebt dit bericht verwijderd",
                    "Je hebt dit bericht verwijderd"),
        "edited": (),
        "encryption": ("Berichten en gesprekken worden end-to-end versleuteld",
                       "Berichten en oproepen zijn end-to-end versleuteld",
                       "Uw oproepen en berichten zijn beveiligd met end-to-end"),
        "security": ("Uw beveiligingscode voor",),
        "group": ("heeft groep", "heeft de groep", "toegevoegd", "heeft de groep verlaten"),
    },
}
# fmt: on
