#!/usr/bin/env python3
"""Writes scaling.ron: how planning time grows with people and rounds.

Consultation-shaped instances from 24 to 400 people in people // 5 rooms (of five or six) (400 people: 80 rooms, as
Zoom allows up to 100), 3 to 10 rounds, every room led by a fixed lead, partners from
organisations of one to three people (kept apart), and one or two earlier rounds as history.
Deterministic (seeded), so the file can be regenerated exactly: python3 scaling.py > scaling.ron
"""
import random


def instance(people, rounds):
    rnd = random.Random(people * 100 + rounds)
    rooms = people // 5
    # Leads are people 0..rooms-1, each from an organisation of their own; the other partners
    # come from organisations of 1 to 3 people.
    orgs = list(range(rooms))
    org = rooms
    while len(orgs) < people:
        size = min(rnd.choice([1, 2, 2, 3]), people - len(orgs))
        orgs += [org] * size
        org += 1
    tail = orgs[rooms:]
    rnd.shuffle(tail)
    orgs[rooms:] = tail
    history = []
    for _ in range(1 if people < 200 else 2):
        others = list(range(rooms, people))
        rnd.shuffle(others)
        round_ = [[lead] for lead in range(rooms)]
        for i, p in enumerate(others):
            round_[i % rooms].append(p)
        history.append([sorted(r) for r in round_])
    return (f"scale-{people}-{rooms}rooms-{rounds}", people, rooms, rounds, orgs, history)


def ron_list(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


print("// Scaling set for rotation-bench, written by scaling.py (see its docstring): consultation-shaped")
print("// instances, 24 to 400 people in rooms of five or six, 3 to 10 rounds, with leads, organisations and")
print("// history. No Good-Enough Golfers figures: it needs minutes for 200 people and did not finish 400")
print("// people over 10 rounds in 600 s on this machine, so `reference` is left out.")
print("[")
for people in [24, 48, 100, 200, 400]:
    for rounds in [3, 6, 10]:
        name, people_, rooms, rounds_, orgs, history = instance(people, rounds)
        hist = "[" + ", ".join("[" + ", ".join(ron_list(r) for r in h) + "]" for h in history) + "]"
        print(f'    (name: "{name}", people: {people_}, rooms: {rooms}, rounds: {rounds_}, leads: {rooms},')
        print(f"        orgs: {ron_list(orgs)},")
        print(f"        history: {hist}),")
print("]")
