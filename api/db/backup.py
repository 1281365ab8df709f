"""`python -m api.db.backup` — back up or restore the backend database (README: Backups).

Each engine's own consistent-snapshot tool, so a backup can be taken while the stack writes:
SQLite's online backup API (one step: one read transaction, which WAL lets writers work beside)
and PostgreSQL's `pg_dump -Fc` (one repeatable-read snapshot), restored by `pg_restore`. Backups
hold personal data, so each file is created 0600 (its folder 0700) and only then filled; a file
appears under its final name only once it is complete. Restore overwrites a database: it asks no
question (CI has no stdin) and refuses unless told `--yes`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore with fixed arguments, no shell
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

FILE_MODE = 0o600
DIR_MODE = 0o700
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why, for the operator."""


def dialect(database_url: str) -> str:
    """`sqlite` or `postgresql` (the two backends the project runs on), else BackupError."""
    name = make_url(database_url).get_backend_name()
    if name not in SUFFIX:
        raise BackupError(f"no backup method for {name!r} databases")
    return name


def default_backup_path(var_dir: Path, database_url: str, now: datetime | None = None) -> Path:
    """VAR_DIR/backups/shramik-<UTC time>.<kind>: sorts by age, says how to restore it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(var_dir) / "backups" / f"shramik-{stamp}{SUFFIX[dialect(database_url)]}"


def _private_file(path: Path) -> int:
    """Open a new file only the owner can read, whatever the umask (refuses to overwrite)."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def _sqlite_file(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore, the password kept out of argv (PGPASSWORD)."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return found


def _backup_sqlite(source: Path, partial: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    os.close(_private_file(partial))
    src = sqlite3.connect(source)  # read-write open: a read-only one cannot join a WAL database
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # all pages in one step: a single consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        if dst.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError("the copy failed SQLite's quick_check")
    finally:
        dst.close()
        src.close()


def _backup_postgres(database_url: str, partial: Path) -> None:
    target, env = _libpq(database_url)
    fd = _private_file(partial)
    with os.fdopen(fd, "wb") as out:
        done = subprocess.run(  # nosec B603 - fixed argv, no shell
            [_tool("pg_dump"), "--format=custom", f"--dbname={target}"],
            stdout=out,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()}")


def backup(database_url: str, dest: Path) -> Path:
    """Write a consistent copy of `database_url` to `dest` (mode 0600); returns `dest`."""
    dest = Path(dest)
    if dest.exists():
        raise BackupError(f"{dest} exists; a backup never overwrites one")
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if dialect(database_url) == "sqlite":
            _backup_sqlite(_sqlite_file(database_url), partial)
        else:
            _backup_postgres(database_url, partial)
        partial.rename(dest)
    finally:
        partial.unlink(missing_ok=True)
    return dest


def _restore_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{source} is not a sound SQLite database")
    except sqlite3.DatabaseError as exc:
        src.close()
        raise BackupError(f"{source} is not a SQLite backup: {exc}") from exc
    if not target.exists():
        os.close(_private_file(target))
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # replaces every page of the target, in one write transaction
    finally:
        dst.close()
        src.close()


def _restore_postgres(database_url: str, source: Path) -> None:
    target, env = _libpq(database_url)
    done = subprocess.run(  # nosec B603 - fixed argv, no shell
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={target}",
            str(source),
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace').strip()}")


def restore(database_url: str, source: Path) -> None:
    """Replace the contents of `database_url` with the backup `source` (all or nothing)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    if dialect(database_url) == "sqlite":
        _restore_sqlite(source, _sqlite_file(database_url))
    else:
        _restore_postgres(database_url, source)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m api.db.backup", description=__doc__)
    parser.add_argument("--database-url", help="another database (default: DATABASE_URL)")
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("backup", help="write a backup file (mode 0600)")
    take.add_argument("--file", type=Path, help="where (default: VAR_DIR/backups/<time>)")
    put = commands.add_parser("restore", help="overwrite the database with a backup file")
    put.add_argument("--file", type=Path, required=True, help="the backup to restore")
    put.add_argument("--yes", action="store_true", help="really overwrite the database")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from api.settings import get_settings

    settings = get_settings()
    url = args.database_url or settings.database_url
    try:
        if args.command == "backup":
            written = backup(url, args.file or default_backup_path(settings.var_dir, url))
            print(f"backup written: {written} (mode 0600: it holds personal data)")
            return 0
        if not args.yes:
            print(
                "restore overwrites the database; run again with --yes (make: CONFIRM=1)",
                file=sys.stderr,
            )
            return 2
        restore(url, args.file)
        print(f"restored {args.file}; now run `python -m api.db.migrate` if the code is newer")
        return 0
    except (BackupError, OSError, sqlite3.Error) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
