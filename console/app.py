"""``duty-console``: the command line.

Parses the arguments, runs a subcommand (``duty-console <name> ...``) or resolves
the data directory, the settings and the platform and hands over to the composition
root (``console.composition.run``). ``--snapshot PATH --quit-after S`` renders the
window after S seconds and prints exactly one JSON line on stdout (``console.snapshot``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time

from console import logs
from console import settings as S
from console.paths import ENV_DATA_DIR, Paths

log = logging.getLogger(__name__)

ENV_TOKEN = "DUTY_CONSOLE_TOKEN"
ENV_PIN = "DUTY_CONSOLE_PIN"
#: said when a secret was given as an argument (every user of the machine sees them in ps)
ARGV_SECRET_WARNING = (
    "duty-console: warning: {opt} on the command line is visible to every user of this machine "
    "(ps, /proc); use {instead} instead.\n"
    "警告：命令行中的{what}对本机所有用户可见，请改用{instead}。")
KEYRING_SERVICE = "duty-console"

#: ``duty-console <name> ARGS...``: name -> (module, function); the function takes the
#: remaining arguments and returns the exit code.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("console.audit_cmd", "main"),
    "key": ("console.key_cmd", "main"),
    "hall-join": ("console.hall.join", "main"),
    "hall-sync": ("console.hall.service", "main"),
    "recover": ("console.recover_cmd", "main"),
    "report": ("console.report_cmd", "main"),
}

NO_PLATFORM_MESSAGE = """\
duty-console: no district platform is configured.

Set the platform URL and its access token, for example:
    DUTY_CONSOLE_TOKEN=<TOKEN> duty-console --platform https://platform.example/
  (or --token-file PATH, a file readable by you only)
  or put "platform_url = https://..." under [platform] in {config}
  (or /etc/duty-console/config.ini) and the token in the environment variable
  {env_token} or the system keyring (service "{service}", user = the URL).
To try the console without a platform, start it with --demo.

未配置区城运平台：请用 --platform <地址> 指定平台地址，令牌用环境变量 {env_token} 或 --token-file 提供
（或写入 {config}，令牌也可放在环境变量 {env_token} 或系统密钥环中），
或者用 --demo 启动演示模式。"""

NO_TOKEN_MESSAGE = """\
duty-console: no access token for {url}.
Give it with the environment variable {env_token}, --token-file PATH (a file readable
by you only), or the system keyring (service "{service}", user = the platform URL).
缺少平台访问令牌：请用环境变量 {env_token}、--token-file 或系统密钥环提供。"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="duty-console",
                                description="Command console for a street city-operations centre duty hall.",
                                epilog="subcommands: " + (", ".join(sorted(SUBCOMMANDS)) or "none"))
    p.add_argument("--demo", action="store_true",
                   help="start the district-platform simulator as a child process and connect to it")
    p.add_argument("--platform", metavar="URL", help="district platform base URL")
    p.add_argument("--token", help=f"platform access token; visible to other users in ps, prefer "
                                   f"${ENV_TOKEN}, --token-file or the keyring")
    p.add_argument("--token-file", metavar="PATH",
                   help="read the platform access token from this file (readable by this user only)")
    p.add_argument("--data-dir", metavar="DIR",
                   help=f"data directory (else ${ENV_DATA_DIR}, else the user data directory)")
    p.add_argument("--store", metavar="PATH|URL",
                   help="the store: this desk's SQLite file (default: in the data directory) or "
                        "postgresql://user@host/db for the hall database (password from "
                        "~/.pgpass or PGPASSWORD, not the command line)")
    p.add_argument("--lang", choices=("zh_CN", "en"), help="user interface language (default zh_CN)")
    p.add_argument("--user", metavar="ID", help="log in as this user (skips the login dialog)")
    p.add_argument("--pin", help=f"PIN for --user; visible to other users in ps, prefer ${ENV_PIN} "
                                 f"or --pin-stdin")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN for --user from standard input")
    p.add_argument("--workstation", metavar="ID", help="workstation id (default: setting, else host name)")
    p.add_argument("--snapshot", metavar="PATH.png", help="render the main window to PATH after --quit-after")
    p.add_argument("--quit-after", metavar="SECONDS", type=float, help="quit after SECONDS")
    p.add_argument("--wall", action="store_true",
                   help="display-wall mode: a full-screen view of map, vital signs, charts, alarms and "
                        "cameras for the hall's big screen (no login, no actions)")
    p.add_argument("--screen", type=int, metavar="N", help="put the window on monitor N (0 = first)")
    p.add_argument("--layout", metavar="NAME", help="video layout of the display wall (1, 2x2, 3x3, 4x4, 1+5, 1+7)")
    p.add_argument("--seed", type=int, help="demo platform seed")
    p.add_argument("--demo-sim-arg", action="append", default=[], metavar="ARG",
                   help="extra argument for the demo simulator, repeatable (e.g. --demo-sim-arg=--history-days=2)")
    args = p.parse_args(argv)
    if args.pin is not None:
        print(ARGV_SECRET_WARNING.format(opt="--pin", what="密码", instead=f"${ENV_PIN} / --pin-stdin"),
              file=sys.stderr)
    elif args.pin_stdin:
        line = sys.stdin.readline()
        args.pin = line.rstrip("\r\n")
        if not line:
            p.error("--pin-stdin: nothing on standard input")
    elif os.environ.get(ENV_PIN):
        args.pin = os.environ[ENV_PIN]
    if args.token is not None:
        print(ARGV_SECRET_WARNING.format(opt="--token", what="令牌", instead=f"${ENV_TOKEN} / --token-file"),
              file=sys.stderr)
    elif args.token_file:
        try:
            args.token = read_secret_file(args.token_file)
        except ValueError as exc:
            p.error(str(exc))
    if args.token is not None:
        problem = token_problem(args.token)
        if problem:
            p.error(problem)
    if args.user and args.pin is None:
        p.error(f"--user needs a PIN: ${ENV_PIN}, --pin-stdin (or --pin, visible in ps)")
    if args.snapshot and args.quit_after is None:
        args.quit_after = 15.0
    if args.screen is not None and args.screen < 0:
        p.error("--screen takes a monitor number, 0 or more")
    if args.layout is not None:
        from views.video_layouts import LAYOUTS

        if args.layout not in LAYOUTS:
            p.error(f"--layout must be one of {', '.join(LAYOUTS)}")
    return args


def read_secret_file(path: str) -> str:
    """The secret in ``path`` (one line); refused when other users may read the file."""
    import stat

    p = os.path.expanduser(path)
    try:
        st = os.stat(p)
        with open(p, encoding="utf-8") as f:
            text = f.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{path} is readable by other users; chmod 600 {path}")
    if not text:
        raise ValueError(f"{path} is empty")
    return text


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot be an access token (spaces, empty), or None."""
    if not token.strip():
        return "the access token is empty"
    if any(c.isspace() for c in token.strip()):
        return "the access token has spaces in it (copied with a line break?)"
    return None


def token_from_keyring(url: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, url)
        except KeyringError as exc:
            log.info("no keyring token: %s", exc)
    except Exception as exc:  # noqa: BLE001 - no backend, no D-Bus, broken install: fail soft
        log.info("keyring unavailable: %s", exc.__class__.__name__)
    return None


def main(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in SUBCOMMANDS:
        module, name = SUBCOMMANDS[argv[0]]
        return int(getattr(importlib.import_module(module), name)(argv[1:]))
    args = parse_args(argv)
    try:
        paths = Paths.resolve(args.data_dir).ensure()
    except OSError as exc:
        print(f"duty-console: cannot use the data directory: {exc}", file=sys.stderr)
        return 2
    cli = {"language": args.lang, "platform_url": args.platform, "workstation_id": args.workstation,
           "store": args.store}
    try:
        settings = S.Settings.load(paths, cli=cli)
    except ValueError as exc:
        print(f"duty-console: {exc}", file=sys.stderr)
        return 2
    logs.setup(paths.log_file, settings.get(S.LOG_LEVEL))
    log.info("duty-console starting; data dir %s", paths.data_dir)

    platform_url = None
    token = args.token
    if not args.demo:
        platform_url = settings.get(S.PLATFORM_URL)
        if not platform_url:
            print(NO_PLATFORM_MESSAGE.format(config=paths.config, env_token=ENV_TOKEN, service=KEYRING_SERVICE),
                  file=sys.stderr)
            return 2
        token = token or os.environ.get(ENV_TOKEN) or token_from_keyring(platform_url)
        token = token.strip() if token else token
        if token and token_problem(token):
            print(f"duty-console: {token_problem(token)}", file=sys.stderr)
            return 2
        if not token:
            print(NO_TOKEN_MESSAGE.format(url=platform_url, env_token=ENV_TOKEN, service=KEYRING_SERVICE),
                  file=sys.stderr)
            return 2
        logs.add_secret(token)

    from console import composition

    return composition.run(args, paths, settings, platform_url=platform_url, token=token, started=started)


if __name__ == "__main__":
    sys.exit(main())
