"""`make proof`: fuzz, load and fault drills against a live local stack, written up as a dated report.

Modules: `config` (modes and ports), `supervisor` (the processes under test), `fuzz` (schemathesis),
`locustfile` + `load` (guest sessions held under load, in their own gevent process), `faults`
(the four injected failures), `kafka_tap` (what consumers actually receive), `accounting` (the
numbers, from the database, the local Stripe and Kafka) and `report` (Markdown + JSON).
"""
