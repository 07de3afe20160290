"""Records how ``seed-synthetic`` calls a module's generator."""

from coordination.synthetic import people

CALLS: list[dict] = []


def generate(tenants, scale, rng):
    opolskie = tenants["opolskie"]
    CALLS.append({"slugs": sorted(tenants), "scale": scale, "draw": rng.random(),
                  "members": len(people(opolskie, "member")),
                  "committee": len(people(opolskie, "committee"))})
    return {"things": 3}
