"""The repairs' helpers keep their contracts."""

from cleaning import fixes


def test_a_suspect_line_is_fixed_from_memory_as_anew_and_a_long_one_is_not_kept():
    line = "the groupâ€™s leaders said â€œNot justice.â€"
    fixes._fix_kept_line.cache_clear()
    assert fixes.fix_suspect_line(line) == fixes.fix_suspect_line(line) == "the group’s leaders said “Not justice.”"
    assert fixes._fix_kept_line.cache_info().hits == 1
    long = (line + " ") * (fixes.FIXED_LINE_MAX // len(line) + 1)
    assert fixes.fix_suspect_line(long) == fixes._fix_line(long)
    assert fixes._fix_kept_line.cache_info().currsize == 1
