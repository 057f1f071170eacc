"""Stage 6, derive: facts, resolved calls, the data graph and the clustering -> the `Plan`.

`plan` names the services and assembles the plan; `interfaces` classifies every dependency
crossing a service boundary into operations, events, read models and violations, with the
cycles, sagas and migration order that follow (`classify`, `operations`, `events`, `cycles`,
`sagas`, `migration`, over the indexes of `program`).
"""

from decompose.derive.naming import name_domains
from decompose.derive.plan import derive_plan

__all__ = ["derive_plan", "name_domains"]
