"""Line classification: body lines kept, furniture labelled with the repair that removes it.

Fixtures are lines from the seed articles (corpus/raw) and the dev benchmark (bench/aeb-dev/raw).
"""

from cleaning.fixes import Context, drop_lines
from cleaning.lines import (
    BOILERPLATE,
    BYLINES,
    CAPTIONS,
    DATELINES,
    TITLE,
    classify_lines,
    load_patterns,
    read_recent_line,
    read_repeated_line,
)

# Body paragraphs of seed 003 (corpus/raw/003_d18bdafb2cebad04.txt).
BODY = [
    "Washington on Monday announced the program that offers thousands of Afghan interpreters and translators, "
    "along with their families, a chance to relocate as refugees in America.",
    "Washington, however, is not convinced and has increasingly denounced reports the Taliban are allegedly "
    "committing war crimes in their recent territorial advances.",
    "“If true, these could constitute war crimes,” the embassy said.",
    "Fighting has intensified across Afghanistan in recent days as government forces attempt to contain "
    "insurgent advances and keep them from major cities.",
]


def labels_of(lines, repeated=frozenset()):
    return dict(zip(lines, classify_lines(lines, repeated), strict=True))


def test_blog_footer_is_boilerplate():
    footer = [
        "Source link",
        "",
        "Leave a Reply",
        "",
        "Your email address will not be published. Required fields are marked *",
    ]
    got = classify_lines(BODY + [""] + footer)
    assert got[: len(BODY)] == [None] * len(BODY)
    assert [lab for line, lab in zip(footer, got[len(BODY) + 1 :], strict=True) if line] == [BOILERPLATE] * 3


def test_teaser_after_check_also_goes_with_it():
    teaser = [
        "Check Also",
        "The Intercept’s Latest Leak Might Deal Irreparable Damage To Pakistani-Chinese Relations",
        "At the same time as Pakistani officials were negotiating with Russia to import oil and …",
    ]
    assert classify_lines(BODY + teaser) == [None] * len(BODY) + [BOILERPLATE] * 3


def test_caption_with_reuters_credit():
    caption = "Afghan refugees arrive at Pristina International Airport in Kosovo on Sunday © Reuters"
    got = labels_of(BODY[:2] + [caption] + BODY[2:])
    assert got[caption] == CAPTIONS
    assert all(got[line] is None for line in BODY)


def test_ap_photo_credit_is_a_caption():
    caption = (
        "Spain's Rafael Nadal celebrates a point against Russia's Karen Khachanov during their Davis Cup "
        "tennis match in Madrid, Spain, Tuesday, Nov. 19, 2019. (AP Photo/Bernat Armangue)"
    )
    assert labels_of([caption] + BODY)[caption] == CAPTIONS


def test_dateline_under_the_title():
    title = "US Concerned By Taliban’s Retaliatory Killings of Former Members of Afghan Security Forces"
    got = classify_lines([title, "", "Saturday, 02/03/2024", ""] + BODY)
    assert got[:4] == [TITLE, None, DATELINES, None]
    assert got[4:] == [None] * len(BODY)


def test_byline_near_the_top():
    got = classify_lines(
        ["New SUVs and electric vehicles highlight L.A. Auto Show", "Tom Krisher, Ap Auto Writer"] + BODY
    )
    assert got[:2] == [TITLE, BYLINES]


def test_sentence_opening_with_by_is_body():
    line = "By the time Buckley learned who had written the song, she was only half-surprised: it made sense."
    assert classify_lines(BODY[:2] + [line] + BODY[2:])[2] is None


def test_menu_run_before_the_article():
    menu = ["Home", "News", "Sports", "Things to Do", "Opinion", "Obituaries", "Classifieds", "Today’s Paper"]
    got = classify_lines(menu + BODY)
    assert got[: len(menu)] == [BOILERPLATE] * len(menu)
    assert got[len(menu) :] == [None] * len(BODY)


def test_glued_menu_line_is_boilerplate():
    menu = (
        "HomeContact CT PostAdvertise with UsSubscribeCareers with UsArchivesNewslettersDigital "
        "editionFAQPrivacy NoticeTerms of UseSubmissions"
    )
    assert classify_lines([menu] + BODY)[0] == BOILERPLATE


def test_short_subheading_inside_the_body_is_kept():
    lines = BODY[:2] + ["US envoy denounces violence"] + BODY[2:]
    assert classify_lines(lines) == [None] * len(lines)


def test_related_widget_inside_the_body_is_dropped_alone():
    widget = "Related:Possible Water Plumes on Europa: The Discovery in Images"
    got = classify_lines(BODY[:2] + [widget] + BODY[2:])
    assert got == [None, None, BOILERPLATE, None, None]


def test_repeated_short_line_is_boilerplate_but_repeated_sentence_is_not():
    promo = "Subscribe to our daily briefing"
    quote = BODY[1]
    got = labels_of(BODY + [promo], repeated=frozenset({promo, quote}))
    assert got[promo] == BOILERPLATE
    assert got[quote] is None


def test_comment_thread_after_the_article():
    comments = [
        "34 responses to “Anthony Lynn: “We needed to win this game””",
        "thelastchargersfansays:November 19, 2019 at 6:34 amIt’s a good thing we have no fans left because this is a dumpster fire.",
        "joetorontosays:November 19, 2019 at 6:44 amIt’s time for both Chargers fans to come to grips with reality, it’s over yet again.",
    ]
    assert classify_lines(BODY + comments)[len(BODY) :] == [BOILERPLATE] * 3


def test_first_line_of_seed_002_is_body_not_title():
    lines = [
        "The US said on Friday that recent reports of violence and atrocities against Afghans indicate the Taliban "
        "is showing little regard for human life and human rights on the ground.",
        "She said the US vehemently condemns these targeted attacks, the destruction of vital infrastructure, and "
        "other attacks against the people of Afghanistan.",
    ]
    assert classify_lines(lines) == [None, None]


def test_headline_before_the_body_is_the_only_title():
    lines = [
        "Fact Check: Is An 'Oxygen Bar' In Delhi Offering Fresh Air For Rs 300?",
        "Fact Check: Is An 'Oxygen Bar' In Delhi Offering Fresh Air For Rs 300?",
    ] + BODY
    got = classify_lines(lines)
    assert got.count(TITLE) == 1
    assert got[2:] == [None] * len(BODY)


def test_blank_lines_are_none_and_lengths_match():
    lines = ["", "Source link", "   ", ""]
    got = classify_lines(lines)
    assert len(got) == len(lines)
    assert got[0] is None and got[2] is None and got[3] is None


def test_without_any_sentence_only_patterns_decide():
    lines = ["NISSAN SENTRA", "Leave a Reply"]
    assert classify_lines(lines) == [None, BOILERPLATE]


def test_empty_document():
    assert classify_lines([]) == []


def test_patterns_are_loaded_once():
    assert load_patterns() is load_patterns()


def test_repeated_line_reads_the_same_from_memory():
    promo = "Subscribe to our daily briefing"
    quote = BODY[1]
    page = BODY + [promo, ""]
    first = classify_lines(page, frozenset({promo, quote}))
    assert classify_lines(page, frozenset({promo, quote})) == first  # second time from the remembered readings
    read_repeated_line.cache_clear()
    assert classify_lines(page, frozenset({promo, quote})) == first
    assert first[BODY.index(quote)] is None and first[len(BODY)] == BOILERPLATE


def test_recurring_long_menu_line_reads_the_same_from_memory():
    menu = "NewsSenateHouseCampaignAdministrationBusinessRegulationMediaBriefing RoomState WatchLatinoPolls" * 2
    page = [menu, "", *BODY]
    read_recent_line.cache_clear()
    first = classify_lines(page)
    assert read_recent_line.cache_info().currsize == len(set(page) - {""})
    assert classify_lines(page) == first  # second time from the remembered readings
    assert read_recent_line.cache_info().hits == len(set(page) - {""})
    read_recent_line.cache_clear()
    assert classify_lines(page) == first
    assert first[0] == BOILERPLATE and first[2:] == classify_lines(BODY)


def test_copyright_sign_after_text_marks_a_caption_but_not_after_a_line_break():
    pats = load_patterns()
    assert pats.credit.search("the minister speaks in kabul ©  reuters")
    assert not pats.credit.search("kabul\n© reuters")  # nothing before the sign on its own line
    assert not pats.credit.search("the minister speaks © 2024")  # a year is a copyright notice


def test_e_mail_address_is_a_call_to_action():
    pats = load_patterns()
    assert pats.call_to_action.search("write to jane.doe@example.com with your tips.")
    assert not pats.call_to_action.search("the @ sign stands for at.")


def test_all_rights_reserved_only_at_a_word_start():
    pats = load_patterns()
    assert pats.furniture.match("© 2024 cable news network. all rights reserved.")["barrier"]
    assert not pats.furniture.match("overall rights reserved for the owners")


def test_step_without_its_label_changes_nothing():
    ctx = Context()
    text = "\n".join(BODY)
    assert drop_lines(text, ctx, CAPTIONS) == []
    assert ctx.labels == {text: [None] * len(BODY)}
