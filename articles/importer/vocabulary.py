"""The words and shapes of page furniture, in several languages.

Patterns here describe what pages in general look like (login widgets, share buttons, paywall
and donation notices, comment widgets, related-article lists, text-size controls, copyright
markers, photo credits). Nothing here names one of the seed pages.
"""

from __future__ import annotations

import functools
import re

# Whitespace a page may carry that str.split() and str.strip() do not all treat alike.
SPACES = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# What normalise must replace itself: str.split() already breaks on the odd spaces it knows.
_REPLACED = [(ch, " ") for ch in SPACES if not ch.isspace()] + [(ch, "") for ch in INVISIBLE]


@functools.lru_cache(maxsize=8192)  # asked of the same lines by the segmenter and the metadata
def normalise(line: str) -> str:
    """The line with odd spaces made plain, invisible characters dropped and runs collapsed."""
    if not line.isascii():  # every odd space and invisible character is beyond ASCII
        for ch, plain in _REPLACED:
            if ch in line:
                line = line.replace(ch, plain)
    return " ".join(line.split())


_I = re.IGNORECASE

# A vote tally under a reader comment: "-6 ( +0 / -6 )", "1 ( +1 / -0 )".
TALLY = re.compile(
    r"^(?P<score>[-+\u2212]?\d{1,6})\s*\(\s*\+\s*(?P<up>\d{1,6})\s*/\s*[-\u2212]\s*(?P<down>\d{1,6})\s*\)$"
)

# "2 Comments", "Comments (3)", "コメント 5件", "12 Kommentare", "0 Comments".
COMMENT_COUNTER = re.compile(
    r"^(?:(?P<n1>\d{1,3}(?:,\d{3})+|\d{1,6})\s*(?:comments?|reader comments?|responses?|replies|"
    r"kommentare?|commentaires?|comentarios?|コメント|件のコメント)|(?:comments?|コメント)\s*[(\[（]?\s*"
    r"(?P<n2>\d{1,3}(?:,\d{3})+|\d{1,6})\s*件?[)\]）]?|(?:コメント|comments?)\s*[:：]?\s*"
    r"(?P<n3>\d{1,3}(?:,\d{3})+|\d{1,6})件?)(?:\s+sorted by(?:\s*:?\s*\w+)?)?$|"
    # WordPress and blogs name the post: "2 thoughts on “…”", "14 Responses to "…"".
    r"^(?P<n4>\d{1,3}(?:,\d{3})+|\d{1,6}|one)\s+(?:thoughts?|responses?|repl(?:y|ies)|comments?)"
    r"\s+(?:on|to)\s+[\"“‘'«].{1,200}$",
    _I,
)
EMPTY_COMMENT_WIDGET = re.compile(
    r"^(?:be the first to comment|no comments yet|there are no comments|comments are closed|"
    r"comments? (?:is|are) (?:disabled|closed)|コメントはまだありません|最初のコメントを)\W*",
    _I,
)
COMMENT_OPENER = re.compile(
    r"^(?:(?:reader |user )?comments?|discussion|join the (?:conversation|discussion)|"
    r"(?:leave|post|add|write) a (?:comment|reply)|log ?in to (?:leave a )?comment|"
    r"sign in to (?:leave a )?comment|コメント(?:する|を書く)?|みんなのコメント)\W*$",
    _I,
)

# A comment header: handle and the time the page shows ("danToday  06:39 pm JST").
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
COMMENT_HEADER = re.compile(
    r"^(?P<handle>\S{1,40}?)\s*(?P<label>(?P<day>today|yesterday|"
    + _MONTHS
    + r"\s+\d{1,2}(?:,\s*\d{4})?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,3}\s+(?:minutes?|mins?|"
    r"hours?|days?)\s+ago)?\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?"
    r"(?:\s*(?P<zone>[A-Z]{2,4}))?)$",
    _I,
)
RELATIVE_TIME = re.compile(
    r"^(?:(?:\d{1,3}|an?)\s+(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?|years?)\s+ago|"
    r"\d{1,3}\s?(?:s|m|min|h|hr|d|w|mo|y)\s+ago|"
    r"just now|\d{1,3}\s*(?:秒|分|時間|日|週間|か月|カ月|ヶ月)前)$",
    _I,
)
# When a comment was posted, on a line of its own under its author: "July 24, 2025 at 3:12 pm",
# "2025-07-24 15:12", "24 July 2025 at 15:12".
COMMENT_STAMP = re.compile(
    r"^(?:on\s+)?(?:"
    + _MONTHS
    + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+"
    + _MONTHS
    + r",?\s+\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
    r"(?P<time>\s*(?:at|,|@|-)?\s*\d{1,2}:\d{2}(?:\s*[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4})?)?$",
    _I,
)
# "Ken Tanaka says:", "Mary wrote:": a comment's author as blog themes print it.
SAYS = re.compile(r"\s+(?:says|said|wrote)\s*:?$", _I)
# A comment's score or a reaction count shown on its own line: "5", "3,210".
COUNT_ONLY = re.compile(r"^[-+\u2212]?\d{1,3}(?:,\d{3})*$|^[-+\u2212]?\d{1,7}$")
# A bare time of day, as live blogs stamp their entries: "11:40 JST", "9:05 a.m. ET".
TIME_STAMP = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)(?:\s*[A-Z]{2,4})?$", _I
)

# Page chrome by vocabulary: whole short lines, or lines that open with one of these.
CHROME_LINE = re.compile(
    r"^(?:log ?in|log ?out|sign ?in|sign ?up|sign ?out|register|subscribe|subscribe now|"
    r"user registration|create (?:an |your )?account|forgot (?:your )?password\??|"
    r"facebook (?:connect|users)|login with (?:your )?\w+(?: account)?|"
    r"share(?: this(?: article| story)?)?|tweet|email|e-mail|print|copy link|save|bookmark|"
    r"follow us|menu|search|home|top|avatar|name|sort by \w+|leave (?:your )?feedback|"
    r"story continues below(?: advertisement)?|sign up here|click here|learn more|"
    r"more to follow|about the author|latest posts by [^()]{1,60}\(see all\)|"
    r"(?:this is a )?developing story|this story (?:has been|will be) updated|"
    r"photo gallery(?: \(click to enlarge\))?|click to enlarge|view (?:gallery|slideshow)|"
    r"back to top|skip to (?:main )?content|advertisement|"
    r"advertising|sponsored(?: content)?|ad|close|more|next|previous|prev|reply|report|like|"
    r"load more(?: comments)?|show more(?: comments)?|view (?:all|more) comments|"
    r"read more|continue reading|read the full (?:story|article)|"
    r"related|related (?:articles|stories|coverage|news|links|posts|content)|see also|"
    r"more from [\w .]+|more stories|recommended(?: for you| articles| stories)?|"
    r"you (?:may|might) also like|most (?:read|popular|viewed)|popular (?:articles?|stories|now)|"
    r"trending(?: now)?|latest news|top stories|editor'?s picks?|"
    r"(?:\"?[\w ]{2,20}\"?\s+)?popular articles?|[\w ]{2,20} access ranking|"
    r"a mix of what'?s trending on our other sites|articles, offers (?:&|and) useful resources|"
    r"terms of (?:use|service)|privacy(?: policy)?|cookie(?:s| policy| settings)?|"
    r"accept(?: all)?(?: cookies)?|reject all|manage (?:preferences|cookies|settings)|"
    r"contact(?: us)?|about(?: us)?|newsletters?|"
    r"sign up for (?:our|the) [\w ]*newsletter\W*|download (?:our|the) app|"
    r"our standards: the thomson reuters trust principles\.?|"
    r"partager|imprimer|teilen|drucken|compartir|imprimir|condividi|stampa|"
    r"(?:text size|font size|文字サイズ|文字の大きさ|字号)"
    r"(?:\s*[:：]?\s*(?:[小中大標準拡]|[aａ][-+－＋]?|small|"
    r"medium|large|default))*|[aａ](?:\s*[aａ]){1,3}|[aａ][-+－＋]\s*[aａ][-+－＋]|"
    r"小\s*中\s*大|並び替え|(?:新着|おすすめ|古い|新しい)順|返信(?:\s*\d[\d,]*)?|ログイン|ログアウト|会員登録|新規登録|シェア|ツイート|印刷|保存|"
    r"関連記事|関連ニュース|おすすめ(?:記事)?|人気記事|アクセスランキング|ランキング|"
    r"この記事をシェア|続きを読む|もっと見る|トップへ戻る|ホーム|メニュー|検索|広告|"
    # Japanese sharing, paging, reading, sign-up, advertising and photo controls.
    r"ブックマーク|はてなブックマーク|lineで送る|ポスト|"
    r"購読(?:する|申し?込み|のお申し?込み)?|(?:この)?記事を読む|全文を読む|もっと読む|"
    r"無料で(?:続きを)?読む|(?:次|前)の(?:ページ|記事)|(?:次|前)へ|トップページ|トップ|"
    r"トップに戻る|ページ(?:の)?(?:先頭|トップ)へ(?:戻る)?|(?:ニュース|記事)一覧(?:へ|を見る)?|"
    r"一覧へ|[【\[]?(?:pr|広告)[】\]]|pr|スポンサーリンク|提供|写真|画像|拡大(?:する|画像)?|"
    r"(?:写真|画像)を?拡大(?:する)?|配信|最終更新|記事に関する報告|"
    r"この記事についてリポートする|みんなの意見|コメントを(?:もっと)?見る|"
    r"(?:[^\W\d_]{1,6}の)?主要ニュース|leave a reply cancel reply|cancel reply|"
    # A printed document's page markers: "[[Page 44639]]" (the Federal Register's text),
    # "Page 3 of 7", "- 12 -".
    r"\[\[page \d{1,6}\]\]|page \d{1,4} of \d{1,4}|[-–] ?\d{1,4} ?[-–])\W*$",
    _I,
)
# Lines that start like an appeal or a paywall notice, whatever follows.
CHROME_OPENING = re.compile(
    r"^(?:use your (?:facebook|google|twitter|x) account|login with your|sign in with|"
    r"log in or register|already (?:a subscriber|have an account)|"
    r"subscribe (?:to|now|today|for)|to (?:continue reading|read (?:the full|the rest|more))|"
    r"continue reading|the rest of this (?:article|story) is|"
    r"this (?:article|story|page) is (?:more than|over) [\w ]{1,20} old|"
    r"(?:we|this (?:site|website)) uses? cookies|by continuing to (?:browse|use)|"
    r"this (?:article|story|content) is (?:for|available to|only for|reserved for) "
    r"(?:paid |premium )?(?:subscribers|members)|"
    r"you(?:'ve| have) (?:reached|used) (?:your|all)[\w ]*(?:free|article|limit)|"
    r"get (?:unlimited|full) access|unlock (?:this|full|unlimited)|"
    r"support (?:our|independent|quality|local) journalism|(?:please )?(?:consider )?"
    r"(?:donat|mak(?:e|ing) a (?:one-time |monthly )?(?:donation|contribution))|"
    r"become a (?:member|supporter|patron|subscriber)|we rely on (?:readers|donations|you)|"
    r"(?:sign up|subscribe) (?:for|to) (?:our|the)[\w ]* newsletter|"
    r"by (?:signing up|registering|subscribing)|by doing so, you will|"
    # A link to another story, labelled: "See Also: …", "Read more: …", "Dig deeper: …".
    r"(?:see also|read (?:more|also|next)|also read|dig deeper|related(?: story| article)?)"
    r"\s*[:：]\s*\S|"
    r"この記事は(?:有料|会員|プレミアム)|有料会員|会員限定|続きは|ログインして|"
    r"(?:この)?記事の続きは|続きを読むには|無料会員|"
    r"会員登録(?:して|すると)|ご寄付|寄付(?:の|を|で))",
    _I,
)
# An appeal in mid-sentence: a line that asks for money or subscriptions.
APPEAL_WORDS = re.compile(
    r"\b(?:donat(?:e|ion|ions)|contribut(?:e|ion) (?:of )?(?:any|as little|\$|£|€)|"
    r"subscri(?:be|ption)s? (?:from|for only|starting)|paywall|"
    r"free articles? (?:left|remaining)|quality journalism|independent journalism)\b|"
    r"\b(?:consider supporting|supporting us|support us)\b.*(?:\bjournalism\b|[£$€]\s?\d)|"
    r"(?:\bjournalism\b|[£$€]\s?\d).*\b(?:consider supporting|supporting us|support us)\b",
    _I,
)
# A newsletter sign-up's pitch: "Get the day's top stories in your inbox."
NEWSLETTER = re.compile(
    r"\b(?:(?:in|to) your (?:inbox|email)|enter your e-?mail(?: address)?|newsletter sign-?up|"
    r"newsletter\. sign up)\b",
    _I,
)
APPEAL_CONTEXT = re.compile(
    r"\b(?:journalism|journalists?|reporting|reporters?|readers?|support|independent|newsroom)\b",
    _I,
)

BREADCRUMB = re.compile(r"^(?:[^>›»|/\n]{1,30}\s*(?:>|›|»|\||/|・)\s*){2,}[^>›»|/\n]{1,40}$")
URL_ONLY = re.compile(r"^(?:<)?(?:https?://|www\.)\S+(?:>)?$", _I)

# Copyright markers: "©", "(C)", "Copyright", "All rights reserved", "無断転載".
COPYRIGHT = re.compile(
    r"(?:©|\(c\)|（c）|copyrights?\b|all rights reserved|無断転載|著作権|版權所有|版权所有)", _I
)

# Photo captions and credits.
CAPTION_OPENING = re.compile(
    r"^(?:file photo|photo(?:graph)?|image|picture|caption|photo/ill?u?s?tration|"
    r"写真|画像|資料写真)\s*[:：/|-]\s*",
    _I,
)
CREDIT_MARKER = re.compile(
    r"(?:^|\s)(?:image|photo|picture|photograph|credit|source|写真|画像|撮影)\s*[:：]\s*"
    r"(?P<credit>[^:：]{2,80}?)\s*\)?$",
    _I,
)
CREDIT_PARENS = re.compile(
    r"(?:[.!?。”\"']\s*|\s)[(（]"
    r"(?:(?i:photo|picture|image)(?:graph)?\s*(?i:by|courtesy(?: of)?|:)\s*)?"
    r"(?P<credit>[A-Z][\w.'’-]+(?:[ /][A-Z][\w.'’-]+){1,4})[)）]$"
)
# "… in Nagoya in May. | Bloomberg": a credit after a bar that follows a sentence.
CREDIT_BAR = re.compile(r"[.!?”\"]\s*\|\s*(?P<credit>[A-Z][\w.&'’/ -]{1,40})$")
# What a pasted slideshow leaves around a caption: "[1/2]", "Item 1 of 2", and link labels.
SLIDE_COUNTER = re.compile(r"^(?:\[\d{1,2}/\d{1,2}\]\s*|item \d{1,2} of \d{1,2}\s+)", _I)
LINK_LABELS = re.compile(r"(?:\s*purchase licensing rights)?(?:,?\s*opens new tab)?$", _I)
CREDIT_AGENCY = re.compile(
    r"(?P<credit>\b(?:REUTERS|Reuters|AP Photo|AFP|Getty Images|Bloomberg|EPA|Kyodo|Jiji|"
    r"Yonhap|Xinhua|Imaginechina|Sipa)\s*/\s*[A-Z][\w.'’ -]{1,40}|\bGetty Images|"
    r"\bAP Photo(?:/[A-Z][\w.' -]{1,40})?)\s*$"
)
# A Japanese caption's closing credit after a full-width equals sign:
# "…=東京都大田区で2025年6月26日、渡部直樹撮影", "…=共同".
JA_CAPTION_CREDIT = re.compile(
    r"[＝=](?P<credit>[^＝=。]{0,60}?(?:撮影|提供|共同|時事|ロイター|AP|AFP|EPA)"
    r"(?:[)）])?)$"
)
LICENCE = re.compile(
    r"\b(?:CC[ -]BY(?:-SA|-ND|-NC)*(?:\s*\d\.\d)?|CC0|own work|public domain|"
    r"wikimedia commons|via wikimedia)\b",
    _I,
)
PRESS_WORDS = re.compile(
    r"\b(?:news|press|agency|shimbun|times|post|wire|service|herald|journal|tribune)\b", _I
)

# Bylines and credit lines.
BYLINE = re.compile(
    r"^(?:by|BY|By|Par|Por|Von|Door|Di)\s+"
    r"(?P<names>[A-Z\u00c0-\u024f][\w.'’\u00c0-\u024f-]*(?:[ ,]+(?:and |& )?"
    r"[A-Z\u00c0-\u024f][\w.'’\u00c0-\u024f-]*){0,9})(?:\s*[,|/–—-]\s*(?P<org>[\w .&]{2,40}))?$"
)
CREDITS_LINE = re.compile(
    r"^\(?\s*(?P<credits>(?:additional )?(?:reporting|writing|editing|compiled|written)"
    r" by [^()]{3,300}?)\s*\)?\.?$",
    _I,
)
# A wire story's closing credit: "Associated Press writer Mari Yamaguchi in Tokyo contributed to
# this report.", "Boak reported from Washington. AP writer X contributed."
CONTRIBUTED = re.compile(
    r"^(?P<credits>(?:[^.]{0,80}\breported from [^.]{2,60}\.\s+)?"
    r"[^.]{3,200}?\bcontributed (?:to this (?:report|story|article)|reporting))\.?$",
    _I,
)
# A byline without "By": "Richard Partington Senior economics correspondent",
# "KENJI KAWASE, Nikkei staff writer".
ROLE_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}?"
    r"(?:(?:,| and| &) [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}?)*)"
    r"(?:\s*[,|–—-])?\s+(?P<org>(?:[\w&.'’-]+ ){0,4}?)"
    r"(?P<role>(?i:correspondents?|reporters?|writers?|editors?|columnists?|contributors?|"
    r"bureau chief))$"
)
# A role after the names in a "By" line: "By Sarah Kim, Staff Writer".
BYLINE_ROLE = re.compile(
    r",\s*(?:[\w&.'’-]+ ){0,4}?(?i:correspondent|reporter|writer|editor|columnist|contributor|"
    r"bureau chief)s?$"
)
JA_BYLINE = re.compile(r"^[【\[](?P<place>[^=＝】\]]{1,15})[=＝](?P<names>[^】\]]{1,30})[】\]]")
# "【ワシントン時事】", "【北京共同】": place and wire in one bracket.
JA_WIRE_DATELINE = re.compile(
    r"^【(?P<place>[^】=＝]{1,12}?)(?P<wire>時事|共同|ロイター|AFP時事|EPA時事|聯合)】"
)

# Datelines that open a story: "TOKYO, June 28 (Reuters) -", "Washington, May 23 (Jiji Press)--".
INLINE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][\w.'’ -]{1,40}?(?:/[A-Z][\w.'’ -]{1,40}?)*(?:,\s+[A-Z][\w.'’ -]{1,30}?)?)"
    r"(?:,\s+(?P<when>" + _MONTHS + r"\s+\d{1,2}))?\s*[(（](?P<wire>[A-Z][\w .&'-]{1,40})[)）]"
    r"\s*(?:--|-|—|–|:)\s*",
)
CAPS_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ /,]+[A-Z][A-Z.'’-]+){0,3})(?:\s*(?:—|–|--|:)|(?<=[A-Z]{3}) -)"
    r"\s+(?=\S)"
)
STANDALONE_DATELINE = re.compile(r"^[A-Z][A-Z.'’-]+(?:[ ,/]+[A-Z][A-Za-z.'’-]+){0,3}$")

SENTENCE_END = tuple(".。!?！？")
CLOSING_QUOTES = tuple("\"'”’」』)）")
ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Inc|Ltd|Co|Corp|Jr|Sr|St)\.$")

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
KANA = re.compile(r"[\u3040-\u30ff\uff66-\uff9f]")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# What may touch an official's name written without spaces (see `officials`): the titles and
# words that follow a kanji family name ("石破首相", "赤沢経済再生相", "赤沢氏"), the kanji that
# may stand just before one ("米", "前"), and the particles and titles glued to a Korean name
# ("트럼프는", "러트닉 장관" is spaced). Other kanji or Hangul touching a name may belong to
# another name ("赤沢健一", "小林芳正", "이시바시").
JA_AFTER_NAME = tuple(
    """氏 様 君 首相 総理 大臣 相 長官 官房 大統領 代表 議員 総裁
    幹事長 政権 内閣 陣営 政府 外相 財務 商務 通商 経済 経財 再生
    担当 前 元 現 両 首脳 側 派 発言 会談 訪米 来日 自民""".split()  # noqa: SIM905
)
JA_BEFORE_NAME = tuple(
    "米 日 前 元 現 新 首相 総理 大臣 長官 相 代表 担当 官房".split()  # noqa: SIM905
)
KO_AFTER_NAME = tuple(
    """은 는 이 가 을 를 의 에 와 과 도 만 께 로 으로 에서 한테 랑 처럼 보다
    까지 부터 씨 측 발 표 식 등 대통령 장관 총리 정부 행정부 정권 내각
    대표 상무 재무 무역 전""".split()  # noqa: SIM905
)

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours said says say told added according
    one two three first second new last year years day days week month based series here
    """.split()  # noqa: SIM905 - a word list reads better as one string
)
