"""Japanese and Korean pages: officials named in their own scripts, and Japanese page furniture."""

from __future__ import annotations

import pytest

from articles.importer.lines import SourceNames, classify_alone
from articles.importer.reference import Reference
from articles.importer.segmenter import C, segment
from articles.importer.suggest import suggest
from negotiations.models import OfficialAlias


def officials_in(text: str, ref: Reference) -> set[str]:
    found = suggest(text, headline="", day=None, ref=ref)
    return {item.target for item in found.of("official")}


# Each alias in a sentence as the Japanese press writes it, glued to titles and particles.
JAPANESE = [
    ("赤沢亮正経済再生担当相は26日、羽田空港を出発した。", "ryosei-akazawa"),
    ("赤沢経済再生相は記者団に「国益を守る」と述べた。", "ryosei-akazawa"),
    ("赤澤亮正大臣は閣議後の会見で語った。", "ryosei-akazawa"),
    ("赤澤氏は交渉の継続を確認した。", "ryosei-akazawa"),
    ("ハワード・ラトニック商務長官が声明を出した。", "howard-lutnick"),
    ("ラトニック長官と電話で会談した。", "howard-lutnick"),
    ("スコット・ベッセント財務長官は合意を歓迎した。", "scott-bessent"),
    ("ベッセント氏との会談は約1時間に及んだ。", "scott-bessent"),
    ("ジェミソン・グリア通商代表も同席した。", "jamieson-greer"),
    ("グリア氏は記者団の質問に答えなかった。", "jamieson-greer"),
    ("ドナルド・トランプ大統領は自身のSNSに投稿した。", "donald-trump"),
    ("米トランプ政権との交渉は続いている。", "donald-trump"),
    ("石破茂首相は官邸で「国益を守った」と強調した。", "shigeru-ishiba"),
    ("石破首相は合意を評価した。", "shigeru-ishiba"),
    ("林芳正官房長官は記者会見で説明した。", "yoshimasa-hayashi"),
    ("林官房長官は「内容を精査する」と述べた。", "yoshimasa-hayashi"),
]
KOREAN = [
    ("아카자와 료세이 경제재생상은 워싱턴에 도착했다.", "ryosei-akazawa"),
    ("아카자와가 러트닉과 만났다.", "ryosei-akazawa"),
    ("러트닉 장관은 협상이 진전됐다고 말했다.", "howard-lutnick"),
    ("베선트 재무장관이 회담에 참석했다.", "scott-bessent"),
    ("그리어 무역대표부 대표도 함께했다.", "jamieson-greer"),
    ("트럼프는 관세율을 15%로 낮췄다.", "donald-trump"),
    ("이시바 총리는 합의를 환영했다.", "shigeru-ishiba"),
]


@pytest.mark.parametrize(("sentence", "slug"), JAPANESE + KOREAN)
def test_an_official_named_in_japanese_or_korean_is_suggested(
    ref: Reference, sentence: str, slug: str
) -> None:
    assert slug in officials_in(sentence, ref)


def test_every_alias_in_another_script_is_found_glued_to_the_text(ref: Reference) -> None:
    aliases = OfficialAlias.objects.filter(kind=OfficialAlias.Kind.NATIVE_SCRIPT)
    assert aliases.count() >= 20
    for alias in aliases.select_related("official"):
        sentence = f"会談で{alias.alias}は述べた。"
        assert officials_in(sentence, ref) == {alias.official.slug}, alias.alias


def test_a_sentence_names_every_official_it_lists(ref: Reference) -> None:
    text = (
        "赤沢氏はベッセント・ラトニック両長官と会談し、トランプ氏と石破首相の電話会談を調整した。"
    )
    assert officials_in(text, ref) == {
        "ryosei-akazawa",
        "scott-bessent",
        "howard-lutnick",
        "donald-trump",
        "shigeru-ishiba",
    }


def test_a_latin_name_glued_to_japanese_is_found(ref: Reference) -> None:
    assert officials_in("Lutnick長官は声明を出した。", ref) == {"howard-lutnick"}
    assert officials_in("米商務省のLutnick氏と赤沢氏が会談した。", ref) == {
        "howard-lutnick",
        "ryosei-akazawa",
    }
    # The close-spelling match still works beside Japanese, and only for Latin names.
    assert officials_in("Lutnik長官は声明を出した。", ref) == {"howard-lutnick"}


def test_latin_names_keep_their_word_boundaries(ref: Reference) -> None:
    assert officials_in("The Trumpeter Swan Society met in Tokyo.", ref) == set()
    assert officials_in("Ishibashi and Hayashida spoke in 東京.", ref) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "林氏は地元の商工会議所の会頭を務める。",  # plain 林 is no alias: too common a name
        "小林芳正氏は地元の市議会議員だ。",  # Kobayashi, not Hayashi
        "赤沢健一氏は地元の市議会議員だ。",  # another Akazawa
        "メラニア・トランプ氏がホワイトハウスで講演した。",  # another Trump
        "トランプ・ジュニア氏が演説した。",
        "ハングリアンの店が開いた。",  # "グリア" inside a longer word
        "グリアー氏は作家だ。",
        "이시바시 의원이 발언했다.",  # Ishibashi, not Ishiba
        "그리어슨 교수가 논문을 발표했다.",  # Grierson, not Greer
    ],
)
def test_an_alias_inside_a_longer_different_name_is_no_match(ref: Reference, sentence: str) -> None:
    assert officials_in(sentence, ref) == set()


def test_the_short_kanji_name_inside_the_full_name_is_the_same_official(ref: Reference) -> None:
    found = suggest("石破茂首相は述べた。", headline="", day=None, ref=ref)
    (ishiba,) = found.of("official")
    assert ishiba.target == "shigeru-ishiba"
    assert ishiba.via == "name '石破茂'"


def test_names_in_another_script_have_their_own_alias_kind(reference_data: None) -> None:
    kinds = dict(OfficialAlias.objects.values_list("alias", "kind"))
    for alias in ("赤沢亮正", "赤沢", "赤澤", "ラトニック", "아카자와", "林官房長官"):
        assert kinds[alias] == "native_script", alias
    assert "林" not in kinds
    assert OfficialAlias.Kind.NATIVE_SCRIPT.label == "Name in another script"


FURNITURE = [
    "関連記事",
    "関連ニュース",
    "おすすめ記事",
    "人気記事",
    "アクセスランキング",
    "ランキング",
    "ログイン",
    "会員登録",
    "有料会員",
    "有料会員登録",
    "無料会員登録",
    "続きを読む",
    "この記事を読む",
    "全文を読む",
    "シェア",
    "ツイート",
    "ポスト",
    "ブックマーク",
    "はてなブックマーク",
    "LINEで送る",
    "印刷",
    "コメント",
    "コメントする",
    "コメントを見る",
    "もっと見る",
    "次のページ",
    "前のページ",
    "次の記事",
    "前の記事",
    "トップページ",
    "ページの先頭へ",
    "ホーム",
    "ニュース一覧",
    "記事一覧",
    "広告",
    "【PR】",
    "PR",
    "スポンサーリンク",
    "提供",
    "写真",
    "拡大",
    "写真を拡大",
    "記事の続きは",
    "記事の続きは有料会員になるとお読みいただけます。",
    "購読",
    "購読のお申し込み",
    "無料で読む",
    "配信",
    "最終更新",
    "記事に関する報告",
    "みんなの意見",
    "経済の主要ニュース",
]
HEADLINE = "日米関税交渉 赤沢氏が訪米へ 7回目の閣僚協議"
STORY = [
    "赤沢亮正経済再生担当相は26日、トランプ米政権との関税交渉のため、米ワシントンに向けて"
    "羽田空港を出発した。訪米は7回目となる。",
    "政府関係者によると、赤沢氏はラトニック商務長官やベッセント財務長官との会談を調整している。"
    "自動車関税の引き下げが最大の焦点だ。",
    "赤沢氏は出発前、記者団に「国益を守りつつ、日米双方の利益となる合意を目指す」と述べた。"
    "交渉は難航が予想される。",
]


@pytest.mark.parametrize("word", FURNITURE)
def test_japanese_page_furniture_is_chrome(word: str) -> None:
    found = classify_alone(word, SourceNames(()))
    assert found is not None and found[0] == C.CHROME, found
    # On a page's first line a word the vocabulary does not know is read as the masthead.
    seg = segment("\n".join([word, HEADLINE, "2025年6月26日 10時15分", *STORY]))
    assert seg.lines[0].cls == C.CHROME
    assert [line.cls for line in seg.lines[3:]] == [C.REPORTING] * 3


@pytest.mark.parametrize("line", ["政治", "赤沢氏", "写真特集の記事を読む人が増えた", "広告業界"])
def test_words_that_only_contain_furniture_are_not_furniture_by_vocabulary(line: str) -> None:
    assert classify_alone(line, SourceNames(())) is None
