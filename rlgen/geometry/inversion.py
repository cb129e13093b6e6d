"""Inversion about a circle (centre O, radius r): P ↦ P' on the ray OP with |OP| · |OP'| = r².

P' = O + r² (P − O) / |P − O|². Inversion swaps inside and outside, fixes the circle itself, and maps
* a line through O to itself; a line not through O to a circle through O (and back);
* a circle through O to a line not through O; any other circle to a circle (not its centre to its centre).
A circle (c, ρ) not through O goes to the circle with centre O + s (c − O) and radius |s| ρ,
s = r² / (|c − O|² − ρ²). Angles are kept, so tangency is kept: that is the classic use.

Apollonius by inversion: circles through a point P tangent to two circles C1, C2. Invert about P: the wanted
circles pass through P, so they become lines, tangent to the images C1', C2' — common tangents of two circles.
Invert those lines back: circles through P tangent to C1 and C2. Up to four of them.
"""

from __future__ import annotations

import math

import numpy as np

from rlgen.errors import InputError
from rlgen.geometry.steps import Circle, Step, dots, lines, path

Point = tuple[float, float]


def invert_point(p: Point, centre: Point, radius: float) -> Point:
    dx, dy = p[0] - centre[0], p[1] - centre[1]
    d2 = dx * dx + dy * dy
    if d2 == 0:
        raise InputError("The centre of inversion has no image (it goes to infinity).")
    k = radius * radius / d2
    return centre[0] + k * dx, centre[1] + k * dy


def invert_circle(c: Point, rho: float, centre: Point, radius: float, tol: float = 1e-12):
    """The image of circle (c, ρ): ("circle", (centre, radius)) or, through O, ("line", (point, direction))."""
    dx, dy = c[0] - centre[0], c[1] - centre[1]
    power = dx * dx + dy * dy - rho * rho  # |c − O|² − ρ²: 0 when the circle passes through O
    if abs(power) <= tol * max(1.0, rho * rho):
        # The point of the circle opposite O goes to the foot of the image line, which is perpendicular to Oc.
        far = (centre[0] + 2 * dx, centre[1] + 2 * dy)
        return "line", (invert_point(far, centre, radius), (-dy, dx))
    s = radius * radius / power
    return "circle", ((centre[0] + s * dx, centre[1] + s * dy), abs(s) * rho)


def invert_line(a: Point, b: Point, centre: Point, radius: float, tol: float = 1e-12):
    """The image of the line ab: itself through O, else ("circle", (centre, radius)) through O."""
    ux, uy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(ux, uy)
    if length == 0:
        raise InputError("A line needs two distinct points.")
    distance = ((a[0] - centre[0]) * uy - (a[1] - centre[1]) * ux) / length  # signed distance from O
    if abs(distance) <= tol * max(1.0, length):
        return "line", (a, (ux, uy))
    foot = (centre[0] + distance * uy / length, centre[1] - distance * ux / length)
    image = invert_point(foot, centre, radius)  # the image circle has diameter O → image of the foot
    return "circle", (((centre[0] + image[0]) / 2, (centre[1] + image[1]) / 2), radius * radius / (2 * abs(distance)))


def common_tangents(c1: Point, r1: float, c2: Point, r2: float) -> list[tuple[Point, Point]]:
    """Lines tangent to both circles, each as (a point on it, a unit direction): outer and inner tangents."""
    dx, dy = c2[0] - c1[0], c2[1] - c1[1]
    d2 = dx * dx + dy * dy
    tangents = []
    for sign2 in (1.0, -1.0):  # outer: both circles on one side; inner: on opposite sides
        r = r2 * sign2 - r1
        h2 = d2 - r * r
        if h2 < 0 or d2 == 0:
            continue
        h = math.sqrt(h2)
        for s in (1.0, -1.0):
            # Unit normal n with n · (c2 − c1) = r: the line {x : n · x = n · c1 − r1}, touching circle 1 at
            # c1 − r1 n. n = (r D + s h D⊥) / |D|², h = √(|D|² − r²).
            nx = (dx * r - s * dy * h) / d2
            ny = (dy * r + s * dx * h) / d2
            point = (c1[0] - r1 * nx, c1[1] - r1 * ny)
            tangents.append((point, (-ny, nx)))
    return tangents


def apollonius_through_point(p: Point, c1: Point, r1: float, c2: Point, r2: float, radius: float = 1.0):
    """Circles through p tangent to both circles, by inverting about p (any radius). Returns (centre, radius)
    pairs; tangent lines through p itself have no circle image and are left out."""
    for c, r in ((c1, r1), (c2, r2)):
        if math.dist(p, c) <= r:
            raise InputError("The point must lie outside both circles (inside one, no circle through it can be "
                             "tangent to both in this construction).")
    images = [invert_circle(c, r, p, radius)[1] for c, r in ((c1, r1), (c2, r2))]
    result = []
    for point, direction in common_tangents(images[0][0], images[0][1], images[1][0], images[1][1]):
        b = (point[0] + direction[0], point[1] + direction[1])
        kind, shape = invert_line(point, b, p, radius)
        if kind == "circle":
            result.append(shape)
    return result


def inversion_steps(centre: Point, radius: float, points, segments):
    """Invert points and segments (drawn as the arcs they become) about the circle (centre, radius)."""
    if radius <= 0:
        raise InputError("The inversion radius must be positive.")
    circle = Circle(centre, radius, "muted", 2)
    yield Step("Circle of inversion: centre ({x:.4g}, {y:.4g}), radius {r:.4g}; P ↦ O + r²(P − O)/|P − O|².",
               (circle, dots([centre], "active", 5)), x=centre[0], y=centre[1], r=radius)
    images = [invert_point(p, centre, radius) for p in points if p != tuple(centre)]
    links = [(p, q) for p, q in zip([p for p in points if p != tuple(centre)], images)]
    yield Step("{n} point(s): each image on the same ray, |OP|·|OP'| = r² (inside ↔ outside).",
               (circle, lines(links, "muted", 1), dots([p for p, _ in links], "active", 4),
                dots(images, "accent", 4)), n=len(images))
    layers, through, circles = [circle], 0, []
    for a, b in segments:
        kind, shape = invert_line(a, b, centre, radius)
        t = np.linspace(0.0, 1.0, 64)
        samples = [(a[0] + s * (b[0] - a[0]), a[1] + s * (b[1] - a[1])) for s in t]
        arc = [invert_point(q, centre, radius) for q in samples if q != tuple(centre)]
        layers.append(path([a, b], "active", width=2))
        if kind == "line":
            through += 1
        else:
            circles.append(shape)
            layers.append(Circle(shape[0], shape[1], "muted", 1))
        layers.append(path(arc, "accent", width=3))
    yield Step("{n} segment(s): {through} on lines through O stay on their lines; the others' lines become circles "
               "through O (thin), each segment an arc of its circle.", tuple(layers), n=len(segments), through=through)
    return {"points": images, "image circles": circles, "lines through the centre": through}


def apollonius_steps(p: Point, c1: Point, r1: float, c2: Point, r2: float):
    """The construction step by step, inverting about p with radius 100."""
    radius = 100.0
    given = (Circle(c1, r1, "result", 2), Circle(c2, r2, "result", 2), dots([p], "active", 6))
    yield Step("Wanted: circles through P tangent to both blue circles.", given)
    images = [invert_circle(c, r, p, radius)[1] for c, r in ((c1, r1), (c2, r2))]
    shown = tuple(Circle(c, r, "accent", 2) for c, r in images)
    yield Step("Invert about P: the two circles become the purple circles; a circle through P would become a "
               "line.", (*given, Circle(p, radius, "muted", 1), *shown))
    tangents = common_tangents(images[0][0], images[0][1], images[1][0], images[1][1])
    far = 4000.0
    drawn = [((q[0] - far * d[0], q[1] - far * d[1]), (q[0] + far * d[0], q[1] + far * d[1])) for q, d in tangents]
    yield Step("Tangency survives inversion, so the wanted circles' images are the {n} common tangents of the "
               "purple circles.", (*given, *shown, lines(drawn, "active", 2)), n=len(tangents))
    result = apollonius_through_point(p, c1, r1, c2, r2, radius)
    yield Step("Invert the tangents back: {n} circle(s) through P tangent to both circles.",
               (*given, *(Circle(c, r, "candidate", 2) for c, r in result)), n=len(result))
    return result
