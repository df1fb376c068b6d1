"""Every `kinerja` command and group answers --help (other tools call evaluate, demo and rules export, import,
validate, publish and diff by those names), with a description and its options."""
from __future__ import annotations

import click


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))


def test_every_command_answers_help(app):
    kinerja = app.cli.commands["kinerja"]
    seen = {" ".join(path) for path, _ in _commands(kinerja)}
    assert {"evaluate", "demo", "rules export", "rules import", "rules validate", "rules publish",
            "rules diff"} <= seen, seen
    runner = app.test_cli_runner()
    for path, command in _commands(kinerja):
        result = runner.invoke(args=["kinerja", *path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert f"kinerja {' '.join(path)}" in result.output.splitlines()[0], (path, result.output)
        assert (command.help or "").strip(), f"{' '.join(path)} has no description"
        if not isinstance(command, click.Group):
            assert "Options:" in result.output, path
