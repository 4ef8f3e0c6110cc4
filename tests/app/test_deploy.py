"""The deployment files say what the README says: same install, same entry, health check, non-root."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_dockerfile_installs_like_the_readme():
    run_command = re.search(r"^pip install -r requirements\.txt && streamlit run explorer_app\.py$", README, re.M)
    assert run_command, "the README's run command"
    assert re.search(r"^RUN pip install -r requirements\.txt$", DOCKERFILE, re.M)
    # explorer_server.py serves explorer_app.py through st.App, starting the compute workers with the server
    assert re.search(r'^CMD \["streamlit", "run", "explorer_server\.py"', DOCKERFILE, re.M)


def test_dockerfile_healthcheck_and_non_root_user():
    assert re.search(r"HEALTHCHECK .*\n?.*_stcore/health", DOCKERFILE)
    user = re.search(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert user and user.group(1) not in ("root", "0")
    assert DOCKERFILE.startswith("#") and "FROM python:3.11-slim" in DOCKERFILE


def test_streamlit_config_for_a_public_demo():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert "theme" in config


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    command = "pip install -r requirements-dev.txt && python -m pytest"
    assert f"\n{command}\n" in README
    assert f"README_TEST_COMMAND='{command}'" in ci
