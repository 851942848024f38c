"""Load tests on Locust: every virtual user runs the selected items as one Newman iteration after another.

The engine is Locust (``pip install 'postman-gen[load]'``): its users, spawn rate, run time, statistics,
CSV and HTML reports, web UI and master/worker distribution are Locust's own. What a user sends, and how, is
ours: each user is a ``Runner`` of ``postman_gen.replay`` with its own HTTP session (cookies per user) and
its own script engine, so a request goes out exactly as ``run`` sends it and its scripts, chaining and
``setNextRequest`` behave as in ``run``. Locust's HttpSession is not used: requests stays replay's.

Modules: ``plan`` (what every user runs, read once per process), ``user`` (the Locust ``User`` and its
statistics), ``engine`` (Locust's command line started in this process), ``locustfile`` (what Locust loads).
Locust is imported only by ``user`` and ``engine``, and only when a load test starts: importing it
monkey-patches the process for gevent.
"""
