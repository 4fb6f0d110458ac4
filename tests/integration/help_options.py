#!/usr/bin/env python3
"""tests/integration/help_options.py SCHEMAD SOURCE_DIR

The options each command's --help lists are exactly the ones its parser
accepts, and what the README, the man page schemad(1) and the bash
completion say about a command's options, the program accepts.

Every long option a command's --help lists is mentioned in the README.

The commands come from `schemad --help`. The candidate options are every
option name the sources know (the getopt tables and hand-written parsers in
daemon/*.c) plus every option the documents mention. The parser "accepts"
an option when `schemad CMD --opt x` does not answer "unknown option" (the
x stands for a value, or is a stray argument the command then rejects for
another reason). No command runs for real: the configuration never exists.
"""
import glob, os, re, subprocess, sys, tempfile

schemad, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
work = tempfile.mkdtemp()
env = dict(os.environ, SCHEMAD_CONFIG=os.path.join(work, "none.yml"), SCHEMAD_DEV_URL="")
fails, passed = [], 0


def run(*args):
    r = subprocess.run([schemad, *args], capture_output=True, text=True, env=env, timeout=20,
                       cwd=work)
    return r.returncode, r.stdout, r.stderr


def expect(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        fails.append(what)


def options_in(text):
    """Long options (--name) and short ones (-x) a text mentions."""
    longs = set(re.findall(r"(?<![\w-])--([a-z][a-z-]*[a-z])", text))
    shorts = set(re.findall(r"(?:^|[\s\[(])-([a-zA-Z])(?=[\s,\]])", text, re.M))
    return {"--" + o for o in longs} | {"-" + o for o in shorts}


def accepts(cmd, opt):
    argv = cmd.split() + [opt, "x"]
    if cmd == "alert":
        argv = ["alert", opt, "x", "test", "sink"]
    rc, out, err = run(*argv)
    return "unknown option" not in err


# The commands, from the top-level help.
rc, top, _ = run("--help")
expect(rc == 0, "schemad --help exits 0")
commands = re.findall(r"^  ([a-z]+) ", top.split("commands:")[1].split("\n\n")[0], re.M)
expect(len(commands) >= 8, f"commands found in --help: {commands}")

# Every option name the sources or documents know.
candidates = set()
for path in glob.glob(os.path.join(src, "daemon", "*.c")):
    text = open(path).read()
    candidates |= {"--" + o for o in re.findall(r'\{"([a-z][a-z-]+)",\s*(?:no|required|optional)_argument', text)}
    candidates |= {"--" + o for o in re.findall(r'"--([a-z][a-z-]+)"', text)}
    candidates |= {"-" + o for o in re.findall(r'"-([a-zA-Z])"', text)}
    for spec in re.findall(r'getopt_long\([^,]+,[^,]+,\s*"([^"]*)"', text):
        candidates |= {"-" + c for c in spec if c.isalpha()}
readme = open(os.path.join(src, "README.md")).read()
man = subprocess.run(["man", "-l", os.path.join(src, "man", "schemad.1")], capture_output=True,
                     text=True, env=dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="")).stdout
man = re.sub(r".\x08", "", man)
completion = open(os.path.join(src, "packaging", "schemad.bash-completion")).read()
candidates |= options_in(readme) | options_in(man) | options_in(completion)
candidates -= {"--help", "-h", "--version"}

# 1. --help lists exactly what the parser accepts.
helps = {}
for cmd in commands:
    rc, out, err = run(cmd, "--help")
    expect(rc == 0 and out, f"{cmd} --help exits 0 and prints its help")
    # The usage line names the command's own synopsis; "source URLs" and the
    # like carry no options.
    listed = options_in(out) - {"--help", "-h"}
    helps[cmd] = listed
    for opt in sorted(candidates | listed):
        ok = accepts(cmd, opt)
        if opt in listed:
            expect(ok, f"{cmd} --help lists {opt}, but the parser rejects it")
        else:
            expect(not ok, f"{cmd} accepts {opt}, but its --help does not list it")

# 2. The top-level help's synopsis of each command.
for cmd in commands:
    line = re.search(rf"^  {cmd} (.*)$", top, re.M).group(1)
    for opt in options_in(line):
        expect(opt in helps[cmd], f"schemad --help shows {cmd} {opt}, its --help does not")


def synopsis(text, start):
    """{command: options} from 'schemad CMD ...' lines and their continuations."""
    found, cmd = {}, None
    for line in text.splitlines():
        m = re.match(rf"^{start}schemad ([a-z]+)\b(.*)$", line)
        if m:
            cmd = m.group(1)
            found.setdefault(cmd, set()).update(options_in(m.group(2).split("  ")[0] if "   " in m.group(2) else m.group(2)))
        elif cmd and re.match(r"^\s{8,}\[", line):
            found[cmd].update(options_in(line))
        else:
            cmd = None
    return found


# 3. README's command-line block and the man page's synopsis.
block = readme.split("## Command line")[1].split("```")[1]
for name, text, start in (("README", block, ""), ("schemad(1)", man.split("DESCRIPTION")[0], r"\s*")):
    per_cmd = synopsis(text, start)
    expect(set(per_cmd) >= set(commands) - {"show", "ack", "mute"},
           f"{name} synopsis names every command: {sorted(per_cmd)}")
    for cmd, opts in per_cmd.items():
        if cmd not in helps:
            fails.append(f"{name} shows a command schemad does not have: {cmd}")
            continue
        for opt in opts - {"--help", "--version"}:
            expect(opt in helps[cmd], f"{name} shows {cmd} {opt}, its --help does not")

# 4. Every option the man page explains exists for some command.
options_section = man.split("\nOPTIONS")[1].split("\nEXIT STATUS")[0]
for opt in options_in(options_section) - {"--help", "-h"}:
    expect(any(opt in h for h in helps.values()), f"schemad(1) explains {opt}, no command has it")

# 5. The bash completion offers each command's options, and only those.
for cmd, opts in re.findall(r'^\t([a-z |]+)\) opts="([^"]*)"', completion, re.M):
    for c in cmd.replace(" ", "").split("|"):
        offered = set(opts.split()) - {"--help"}
        longs = {o for o in helps.get(c, set()) if o.startswith("--")}
        expect(offered == longs, f"completion for {c}: offers {sorted(offered)}, --help lists {sorted(longs)}")

# 6. Every option a command's --help lists, the README mentions (a new user
#    reads the README first).
readme_opts = options_in(readme)
for cmd, listed in helps.items():
    # "-o, --output FILE": the README's -o FILE mentions --output
    short_of = {"--" + l: "-" + s for s, l in re.findall(r"-([a-zA-Z]), --([a-z][a-z-]*)", run(cmd, "--help")[1])}
    for opt in sorted(o for o in listed if o.startswith("--")):
        expect(opt in readme_opts or short_of.get(opt) in readme_opts,
               f"{cmd} --help lists {opt}, the README never mentions it")

for f in fails:
    print("FAIL " + f)
print(f"{passed} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
