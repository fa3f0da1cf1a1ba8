"""Words as retrieval sees them: the kept stems and spans are what splitting the text gives."""

from kg.text import (
    CACHED_TEXT_CHARS,
    STOPWORDS,
    WORD_RE,
    _cached_stem_set,
    _cached_stems,
    index_tokens,
    stem,
    token_set,
    token_spans,
    tokens,
)

SENTENCE = "The councils' procurement officers awarded 3 contracts under regulation 12."


def split_again(text: str) -> list[str]:
    """The stems of a text made from scratch, with no cache in the way."""
    words = (m.group(0).lower() for m in WORD_RE.finditer(text))
    return [stem(w) for w in words if w not in STOPWORDS]


def test_kept_stems_are_the_stems_of_the_text():
    assert tokens(SENTENCE) == split_again(SENTENCE)
    assert tokens(SENTENCE) == tokens(SENTENCE)  # asked again, from the cache
    assert tokens(SENTENCE)[:3] == ["council", "procur", "offic"]


def test_each_caller_gets_its_own_list_of_stems():
    first = tokens(SENTENCE)
    first.append("changed")
    first[0] = "changed"
    assert tokens(SENTENCE) == split_again(SENTENCE)


def test_a_text_longer_than_the_cached_length_is_split_the_same():
    long_text = " ".join([SENTENCE] * (CACHED_TEXT_CHARS // len(SENTENCE) + 2))
    assert len(long_text) > CACHED_TEXT_CHARS
    assert tokens(long_text) == split_again(long_text)


def test_the_kept_set_of_stems_is_the_set_of_the_text_and_cannot_change():
    kept = token_set(SENTENCE)
    assert kept == set(split_again(SENTENCE)) and isinstance(kept, frozenset)
    assert token_set(SENTENCE) is kept  # asked again, from the cache
    long_text = " ".join([SENTENCE, "Another sentence."] * (CACHED_TEXT_CHARS // 40 + 2))
    before = _cached_stem_set.cache_info().currsize
    assert token_set(long_text) == set(split_again(long_text))
    assert _cached_stem_set.cache_info().currsize == before  # too long to keep


def test_kept_spans_point_at_the_words_they_stem():
    spans = token_spans(SENTENCE)
    assert [s for _, _, s in spans] == split_again(SENTENCE)
    for start, end, s in spans:
        assert stem(SENTENCE[start:end].lower()) == s
    spans.clear()
    assert len(token_spans(SENTENCE)) == len(split_again(SENTENCE))


def test_a_passage_indexed_once_is_split_the_same_and_not_kept():
    passage = f"{SENTENCE} A second sentence about a unique passage indexed once."
    before = _cached_stems.cache_info().currsize
    assert index_tokens(passage) == split_again(passage)
    assert _cached_stems.cache_info().currsize == before
