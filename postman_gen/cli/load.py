"""``load``: the selected items as a load test on Locust, each virtual user one Newman run.

Thin: the numbers are checked (``LoadOptions``) and Locust imported before anything opens a socket (its
gevent monkey-patching must come first), then the plan is read and ``postman_gen.loadtest.engine`` runs
Locust.
"""

from __future__ import annotations

from typing import Any

import click

from postman_gen.cli import cli
from postman_gen.cli.common import item_option, pairs, resolve_options, scope_file


@cli.command(context_settings={"allow_interspersed_args": True})
@click.argument("file", type=click.Path(allow_dash=True))
@item_option
@resolve_options
@click.option(
    "-d", "--iteration-data", type=click.Path(dir_okay=False), help="CSV or JSON rows, round-robin."
)
@click.option("--env-var", multiple=True, metavar="KEY=VALUE", help="Set an environment variable.")
@click.option("--global-var", multiple=True, metavar="KEY=VALUE", help="Set a global variable.")
@click.option("-u", "--users", type=int, default=1, show_default=True, help="Virtual users (at most).")
@click.option(
    "-r", "--spawn-rate", type=float, default=1.0, show_default=True, help="Users started per second."
)
@click.option("-t", "--run-time", metavar="TIME", help="Stop after 90, 30s, 5m, 1h30m (default: Ctrl-C).")
@click.option("--headless", is_flag=True, help="No web UI: start at once, print statistics.")
@click.option("--csv", "csv_prefix", metavar="PREFIX", help="Write Locust's CSV statistics PREFIX_*.csv.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False), help="Write Locust's HTML report.")
@click.option("--master", is_flag=True, help="Distribute the users to --worker processes.")
@click.option("--worker", is_flag=True, help="Run users for the master at --master-host.")
@click.option("--master-host", metavar="HOST", help="The master a --worker connects to (default 127.0.0.1).")
@click.option("--master-port", type=int, default=5557, show_default=True, help="The master's port.")
@click.option(
    "--master-bind-host", default="*", show_default=True, help="Address a --master listens on for workers."
)
@click.option(
    "--expect-workers", type=int, default=1, show_default=True, help="Workers a --master waits for."
)
@click.option(
    "--master-wait",
    type=float,
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long a --worker tries to reach its master.",
)
@click.option("--timeout-request", type=int, metavar="MS", help="Connect and read timeout of each request.")
@click.option("-k", "--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--ssl-extra-ca-certs", type=click.Path(exists=True, dir_okay=False), help="Trust these CAs too."
)
@click.option("--fail-on-status", is_flag=True, help="A 4xx or 5xx response counts as a failure.")
@click.option("--no-scripts", is_flag=True, help="Run no pre-request or test script.")
@click.argument("locust_args", nargs=-1, type=click.UNPROCESSED)
def load(file: str, **params: Any) -> int:
    """Load-test the selected requests on Locust: every virtual user runs them as Newman iterations.

    Each user runs the items in order, one iteration after another, with its own cookies and variables;
    data rows (-d) are handed out round-robin.

    Arguments after ``--`` go to Locust as they are (e.g. ``-- --web-port 8090 --only-summary``).
    """
    from postman_gen.loadtest.engine import LoadOptions, require_locust

    options = LoadOptions(
        users=params["users"],
        spawn_rate=params["spawn_rate"],
        run_time=params["run_time"],
        headless=params["headless"],
        csv=params["csv_prefix"],
        html=params["html_file"],
        master=params["master"],
        worker=params["worker"],
        master_host=params["master_host"],
        master_port=params["master_port"],
        master_bind_host=params["master_bind_host"],
        expect_workers=params["expect_workers"],
        master_wait_s=params["master_wait"],
        locust_args=tuple(params["locust_args"]),
    )
    require_locust()  # before anything below imports ssl or opens a socket

    import postman_gen
    from postman_gen.cli.common import Warnings
    from postman_gen.loadtest.engine import start
    from postman_gen.loadtest.plan import make_plan
    from postman_gen.replay.config import RunConfig, ScriptConfig, Timeouts, TlsConfig

    collection = postman_gen.load(file)
    Warnings().emit(collection.warnings)
    config = RunConfig(
        collection,
        items=tuple(params["items"]),
        environment=scope_file(params["environment"], collection, "environment"),
        globals=scope_file(params["globals_"], collection, "globals"),
        variables=pairs(params["vars_"], "--var"),
        environment_variables=pairs(params["env_var"], "--env-var"),
        global_variables=pairs(params["global_var"], "--global-var"),
        path_variables=pairs(params["path_vars"], "--path-var"),
        strict=params["strict"],
        seed=params["seed"],
        working_dir=params["working_dir"],
        insecure_file_read=params["insecure_file_read"],
        iteration_data=params["iteration_data"],
        fail_on_status=params["fail_on_status"],
        timeouts=Timeouts(request_ms=params["timeout_request"]),
        tls=TlsConfig(insecure=params["insecure"], extra_ca_certs=params["ssl_extra_ca_certs"]),
        scripts=ScriptConfig(enabled=not params["no_scripts"]),
    )
    return start(make_plan(config), options)
