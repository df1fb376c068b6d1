"""The IKM computation (PermenPANRB 14/2017): element means, index x 25, bands read at two decimals."""
from __future__ import annotations

import pytest

from engine.runtime.ikm import ELEMENTS, band, band_label, check_scores, compute_ikm, from_sums


def test_all_fours_is_100_and_all_ones_is_25():
    assert compute_ikm([[4] * 9] * 3).index == 100.0
    assert compute_ikm([[1] * 9]).index == 25.0
    assert compute_ikm([[4] * 9]).mutu == "A"
    assert compute_ikm([[1] * 9]).mutu == "D"


def test_index_is_the_mean_of_element_means_times_25():
    # two respondents: element means 3.5 for the first element, 3 for the rest -> (3.5 + 8 x 3) / 9 x 25
    result = compute_ikm([[4, 3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3]])
    assert result.respondents == 2
    assert result.element_means["persyaratan"] == 3.5
    assert result.element_means["sarana"] == 3.0
    assert result.index == 76.39  # 27.5 / 9 x 25 = 76.3888...
    assert result.mutu == "C"


def test_each_element_weighs_the_same_whatever_the_response_pattern():
    low_first = compute_ikm([[1, 4, 4, 4, 4, 4, 4, 4, 4]])
    low_last = compute_ikm([[4, 4, 4, 4, 4, 4, 4, 4, 1]])
    assert low_first.index == low_last.index == 91.67  # (1 + 8 x 4) / 9 x 25 = 91.666...


@pytest.mark.parametrize("index, mutu", [
    (100, "A"), (88.31, "A"), (88.305, "A"), (88.30, "B"), (88.304, "B"), (76.61, "B"), (76.60, "C"),
    (76.605, "B"), (65.00, "C"), (64.99, "D"), (64.995, "C"), (25, "D"),
])
def test_bands_at_their_edges(index, mutu):
    assert band(index) == mutu


def test_band_refuses_an_index_outside_25_100():
    with pytest.raises(ValueError):
        band(24.99)
    with pytest.raises(ValueError):
        band(100.01)


def test_band_labels_in_both_languages():
    assert band_label("A") == "Sangat baik"
    assert band_label("D", "en") == "Bad"
    assert compute_ikm([[3] * 9]).label("en") == "Poor"  # 75.00: mutu C
    assert compute_ikm([[4, 4, 4, 4, 3, 3, 3, 3, 3]]).label() == "Baik"  # 86.11: mutu B


def test_a_boundary_reached_exactly_is_not_lost_to_float_drift():
    # 3.5324 x 25 = 88.31 is mutu A; choose sums whose exact index is 88.31 when rounded half up
    sums = [353] * 9  # 100 respondents, every element mean 3.53 -> 88.25
    assert from_sums(sums, 100).index == 88.25
    sums = [3533] * 9  # 1000 respondents, mean 3.533 -> 88.325 -> 88.33
    assert from_sums(sums, 1000).index == 88.33 and from_sums(sums, 1000).mutu == "A"


def test_no_responses_no_index():
    assert compute_ikm([]) is None
    assert from_sums([0] * 9, 0) is None


@pytest.mark.parametrize("scores", [[4] * 8, [4] * 10, [0] + [4] * 8, [5] + [4] * 8, [True] + [4] * 8,
                                    ["4"] + [4] * 8, [3.5] + [4] * 8, "444444444"])
def test_bad_scores_are_refused(scores):
    assert check_scores(scores)
    with pytest.raises(ValueError):
        compute_ikm([scores])


def test_sums_must_fit_the_respondents():
    with pytest.raises(ValueError):
        from_sums([5] * 9, 1)
    with pytest.raises(ValueError):
        from_sums([4] * 8, 1)


def test_nine_elements_in_regulation_order():
    assert len(ELEMENTS) == 9
    assert ELEMENTS[0] == "persyaratan" and ELEMENTS[-1] == "sarana"
    assert compute_ikm([[2] * 9]).as_dict()["element_means"] == {e: 2.0 for e in ELEMENTS}
