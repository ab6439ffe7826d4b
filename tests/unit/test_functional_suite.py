"""The functional evaluation suite's shape: coverage, breadth and consistency, not model scores."""

from __future__ import annotations

from collections import Counter

from moderation.training.functional import FUNCTIONALITIES, GROUPS, Case, cases

EXPECTED = {
    "identity_neutral",
    "identity_positive",
    "identity_self",
    "negation",
    "counter_speech",
    "reclaimed",
    "news_violence",
    "criticism",
    "insult_plain",
    "threat_plain",
    "derogation",
    "dehumanisation",
    "hate_threat",
    "profanity_clean",
    "spelling",
    "abuse_nonprotected",
}
IDENTITY = {"identity_neutral", "identity_positive", "identity_self"}
AIMED_AT_A_GROUP = {"derogation", "dehumanisation", "hate_threat"}


def _names_its_group(case: Case) -> bool:
    terms = next(group.terms for group in GROUPS if group.key == case.group)
    return any(term in case.text.lower() for term in terms)


def test_cases_are_deterministic() -> None:
    assert cases() == cases()


def test_every_functionality_has_cases() -> None:
    assert set(FUNCTIONALITIES) == EXPECTED
    assert {case.functionality for case in cases()} == EXPECTED


def test_identity_cases_are_many_and_span_forty_groups() -> None:
    identity = [case for case in cases() if case.functionality in IDENTITY]
    assert len(identity) >= 1500
    assert len({case.group for case in identity}) >= 40


def test_no_text_appears_twice() -> None:
    counts = Counter(case.text.casefold() for case in cases())
    assert [text for text, n in counts.items() if n > 1] == []


def test_every_approved_identity_case_names_its_group() -> None:
    approved = [case for case in cases() if not case.flag and case.group is not None]
    assert all(case.group is not None for case in cases() if case.functionality in IDENTITY)
    assert [case.text for case in approved if not _names_its_group(case)] == []


def test_attacks_on_a_group_name_the_group() -> None:
    aimed = [case for case in cases() if case.functionality in AIMED_AT_A_GROUP]
    assert all(case.group is not None and _names_its_group(case) for case in aimed)


def test_one_flag_per_functionality_and_never_reject_what_should_be_approved() -> None:
    flags = {(case.functionality, case.flag) for case in cases()}
    assert len(flags) == len(EXPECTED)
    assert all(case.reject_ok == case.flag for case in cases())
    assert not any(
        c.reject_ok for c in cases() if c.functionality in {"counter_speech", "reclaimed"}
    )
