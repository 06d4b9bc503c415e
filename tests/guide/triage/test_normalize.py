import pytest

from guide.triage.normalize import LEXICON, MAX_CHARS, Lexicon, fold, sentences


def tags(text):
    return {tag for tag, _s, _e in Lexicon(LEXICON).scan(fold(text))}


def test_width_case_and_control_characters_are_folded():
    assert fold("ＱＹＷＸ\u3000Ｓｍｓ\x00\n码") == "qywx sms 码"


def test_pinyin_with_tone_marks_reads_as_toneless_pinyin():
    assert fold("Huàn bǎng wēi xìn, lǜ") == "huan bang wei xin, lu"
    assert tags("jī huó chéng gōng") == tags("ji huo cheng gong") != set()


def test_next_of_a_time_is_not_harmonyos_next():
    assert "鸿蒙next" in tags("华为鸿蒙 Next 手机")
    assert "鸿蒙next" not in tags("the interview is next week, ask me next time")


def test_only_the_first_characters_are_read():
    assert len(fold("验" * (MAX_CHARS * 10))) == MAX_CHARS


def test_spellings_typos_and_abbreviations_share_one_concept():
    for spelling in ("验证码", "验证吗", "验正码", "yzm", "SMS", "verification code"):
        assert "验证码" in tags(spelling), spelling
    for spelling in ("企业微信", "企微", "qywx", "WeCom", "enterprise WeChat"):
        assert "企业微信" in tags(spelling), spelling
    for spelling in ("统一认证", "统一身份认证", "IDAS"):
        assert "统一认证" in tags(spelling), spelling


def test_an_english_word_is_not_found_inside_a_longer_word():
    assert "验证码" not in tags("barcode decoder")
    assert "验证码" in tags("the code")


def test_a_code_already_received_is_not_the_code_concept():
    assert tags("已经收到验证码了") == {"已收到"}


def test_sentences_split_where_a_new_problem_usually_starts():
    folded = fold("密码忘了。还有验证码收不到！also the QR code")
    assert [folded[a:b] for a, b in sentences(folded)] == [
        "密码忘了",
        "验证码收不到",
        " the qr code",
    ]


def test_a_negated_identity_or_a_detail_said_to_be_fine_is_not_the_concept():
    assert "本校身份" not in tags("我不是本校学生")
    assert "not:本校身份" in tags("我不是本校学生")
    assert "考生号" not in tags("考生号和身份证都没问题")
    assert "本校身份" in tags("我是本校学生")


@pytest.mark.parametrize(
    "text", ["小米的机子，不是华为鸿蒙", "my phone isn't HarmonyOS, it's an iPhone"]
)
def test_one_negation_denies_the_device_named_after_it(text):
    found = tags(text)
    assert "not:鸿蒙" in found and "鸿蒙" not in found


def test_asking_whether_it_is_harmonyos_denies_nothing():
    assert "鸿蒙" in tags("华为mate，也不清楚是不是鸿蒙")


def test_homophone_typos_of_pinyin_and_voice_input_are_found_by_sound():
    assert {"统一认证", "激活"} <= tags("统一任证怎么姬活")
    assert "二维码" in tags("二为码在哪")
    assert "关注" in tags("关住了")
    assert "激活" in tags("急活完了") and "临近" not in tags("急活完了")
    # everyday words that merely sound alike stay what they are
    assert tags("可以是外国号码吗") == {"手机号"}


def test_the_shipped_pinyin_table_reads_common_characters():
    from guide.triage.sounds import SYLLABLES, syllable_table

    table = syllable_table()
    assert [SYLLABLES[table[ord(ch)]] for ch in "激活验证码"] == ["ji", "huo", "yan", "zheng", "ma"]


def test_numbered_problems_are_separate_sentences():
    for text in (
        "1.密码忘了 2.验证码收不到",
        "①密码忘了②验证码收不到",
        "问题一：密码忘了；问题二：验证码收不到",
    ):
        folded = fold(text)
        parts = [folded[a:b].strip() for a, b in sentences(folded)]
        assert [p for p in parts if p][-2:] == ["密码忘了", "验证码收不到"], text
