"""Inversion: images of points, lines and circles against their definitions (sampled points inverted one by
one), and the Apollonius construction's circles really pass through the point and touch both circles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rlgen.errors import InputError
from rlgen.geometry.inversion import (
    apollonius_steps,
    apollonius_through_point,
    common_tangents,
    inversion_steps,
    invert_circle,
    invert_line,
    invert_point,
)
from rlgen.geometry.steps import final

O, R = (1.0, 2.0), 3.0


def on_circle(q, centre, radius):
    return math.dist(q, centre) == pytest.approx(radius, rel=1e-9, abs=1e-9)


def test_point_inversion_is_an_involution_fixing_the_circle():
    rng = np.random.default_rng(0)
    for p in map(tuple, rng.normal(0, 5, (50, 2)).tolist()):
        q = invert_point(p, O, R)
        assert math.dist(p, O) * math.dist(q, O) == pytest.approx(R * R)
        assert invert_point(q, O, R) == pytest.approx(p)
    assert invert_point((O[0] + R, O[1]), O, R) == pytest.approx((O[0] + R, O[1]))
    with pytest.raises(InputError, match="infinity"):
        invert_point(O, O, R)


@pytest.mark.parametrize("c, rho", [((5.0, 1.0), 1.5), ((1.5, 2.0), 0.7), ((4.0, 6.0), 6.0)])
def test_circle_images_contain_the_images_of_its_points(c, rho):
    kind, (centre, radius) = invert_circle(c, rho, O, R)
    assert kind == "circle"
    for t in np.linspace(0, 2 * np.pi, 12, endpoint=False):
        q = invert_point((c[0] + rho * math.cos(t), c[1] + rho * math.sin(t)), O, R)
        assert on_circle(q, centre, radius)


def test_circle_through_the_centre_becomes_a_line_and_back():
    c, rho = (O[0] + 2.0, O[1]), 2.0  # passes through O
    kind, (point, direction) = invert_circle(c, rho, O, R)
    assert kind == "line" and point == pytest.approx((O[0] + R * R / 4, O[1]))
    for t in (0.5, 1.0, 2.0, 4.0):
        q = invert_point((c[0] + rho * math.cos(t), c[1] + rho * math.sin(t)), O, R)
        assert q[0] == pytest.approx(point[0])  # the image line is x = O_x + r²/(2ρ)
    kind, (centre, radius) = invert_line(point, (point[0], point[1] + 1), O, R)
    assert kind == "circle" and centre == pytest.approx(c) and radius == pytest.approx(rho)
    assert invert_line((O[0] - 1, O[1] - 1), (O[0] + 2, O[1] + 2), O, R)[0] == "line"  # through O: itself


def test_common_tangents_touch_both_circles():
    tangents = common_tangents((0.0, 0.0), 1.0, (5.0, 1.0), 2.0)
    assert len(tangents) == 4
    for point, (ux, uy) in tangents:
        for c, r in (((0.0, 0.0), 1.0), ((5.0, 1.0), 2.0)):
            assert abs((c[0] - point[0]) * uy - (c[1] - point[1]) * ux) == pytest.approx(r)
    assert len(common_tangents((0.0, 0.0), 1.0, (0.5, 0.0), 3.0)) == 0  # one inside the other


def test_apollonius_circles_pass_through_the_point_and_touch_both_circles():
    p, (c1, r1), (c2, r2) = (0.0, 3.0), ((-2.0, 0.0), 1.0), ((3.0, -0.5), 1.5)
    circles = apollonius_through_point(p, c1, r1, c2, r2)
    assert len(circles) == 4
    for centre, radius in circles:
        assert on_circle(p, centre, radius)
        for c, r in ((c1, r1), (c2, r2)):
            d = math.dist(centre, c)
            assert min(abs(d - (radius + r)), abs(d - abs(radius - r))) < 1e-9
    shown = final(apollonius_steps(p, c1, r1, c2, r2))  # another inversion radius: the same circles
    assert np.allclose([(*c, r) for c, r in shown], [(*c, r) for c, r in circles], rtol=1e-9)
    with pytest.raises(InputError, match="outside both"):
        apollonius_through_point((-2.0, 0.5), c1, r1, c2, r2)


def test_inversion_steps_count_lines_through_the_centre():
    segments = [((O[0] - 1, O[1]), (O[0] + 5, O[1])), ((0.0, 10.0), (5.0, 10.0))]
    frames = list(inversion_steps(O, R, [(4.0, 2.0)], segments))
    result = final(inversion_steps(O, R, [(4.0, 2.0)], segments))
    assert len(frames) == 3 and result["lines through the centre"] == 1 and len(result["image circles"]) == 1
    assert result["points"] == [pytest.approx((4.0, 2.0))]  # on the circle: fixed
