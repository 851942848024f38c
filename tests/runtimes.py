"""How a developer's machine sets up each runtime that generated code runs with (shared by the tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from postman_gen.render.engine import Target


def need(tool: str) -> str:
    """The path of ``tool``; skips the test when it is missing, except in CI (CI=true) where it fails."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is not installed: .ci/run must install it")
        pytest.skip(f"{tool} is not installed")
    return found


# What `composer require guzzlehttp/guzzle` gives PHP code: here Debian's package behind vendor/autoload.php.
COMPOSER_SHIM = "<?php\n\nrequire 'GuzzleHttp/autoload.php';\n"


def runtime_setup(target: Target, ca_file: str | None, work: Path) -> dict[str, str]:
    """Environment a developer's machine would give the runtime of ``target``: its packages, and trust in
    the test CA (``ca_file``) as an administrator would set it up.

    Python, curl, Node, Go, Ruby and C (CURL_CA_BUNDLE) read the variables set for every target. PHP reads an
    extra php.ini (``PHP_INI_SCAN_DIR``; a leading ``:`` keeps the system's folder) whose include_path holds a
    vendor/autoload.php, and the CA for curl.
    """
    if target.language == "php":
        (work / "vendor").mkdir(exist_ok=True)
        (work / "vendor" / "autoload.php").write_text(COMPOSER_SHIM, encoding="utf-8")
        ini = f"include_path=.{os.pathsep}/usr/share/php{os.pathsep}{work}\n"
        if ca_file:
            ini += f"curl.cainfo={ca_file}\nopenssl.cafile={ca_file}\n"
        (work / "php.ini").write_text(ini, encoding="utf-8")
        return {"PHP_INI_SCAN_DIR": os.pathsep + str(work)}
    if ca_file is None:
        return {}
    if target.language == "java":  # a PKCS12 trust store holding the CA, named by the JVM's options
        store = work / "trust.p12"
        subprocess.run(
            ["keytool", "-importcert", "-noprompt", "-alias", "test-ca", "-file", ca_file]
            + ["-keystore", str(store), "-storetype", "PKCS12", "-storepass", "changeit"],
            capture_output=True,
            check=True,
        )
        options = f"-Djavax.net.ssl.trustStore={store} -Djavax.net.ssl.trustStorePassword=changeit"
        return {"JAVA_TOOL_OPTIONS": options + " -Djavax.net.ssl.trustStoreType=PKCS12"}
    if target.language == "csharp":  # Mono's certificate store of a user whose home is the work folder
        env = dict(os.environ, HOME=str(work))
        subprocess.run(["cert-sync", "--quiet", "--user", ca_file], env=env, capture_output=True, check=True)
        return {"HOME": str(work)}
    return {}
