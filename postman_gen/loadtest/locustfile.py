"""The locustfile ``postman-gen load`` gives Locust: the one ``User`` class of the plan the engine set."""

from __future__ import annotations

from postman_gen.loadtest.user import planned_user

PostmanUser = planned_user()
