"""A throwaway Dovecot IMAP server for the mail tests: Debian's dovecot-imapd
on private ports, its own maildirs, users and TLS certificate, stopped after.

Runs as root (CI) or as an ordinary user: the mail files belong to `nobody`
under root (Dovecot refuses uid 0), to the caller otherwise.
"""

import datetime
import grp
import ipaddress
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "secret-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    imap_port: int
    imaps_port: int
    ca_file: str
    process: subprocess.Popen

    def url(self, user, security="imap", folder="INBOX"):
        port = self.imaps_port if security == "imaps" else self.imap_port
        return f"{security}://{user}:{PASSWORD}@127.0.0.1:{port}/{folder}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def available() -> str:
    """'' when Dovecot can be started here, else why not."""
    if not os.path.exists(DOVECOT):
        return "dovecot not installed (apt-get install dovecot-imapd)"
    return ""


def _certificate(root: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = root / "cert.pem", root / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def start(users=("desk", "candidate")) -> Dovecot:
    root = Path(tempfile.mkdtemp(prefix="supportdesk-dovecot-"))
    root.chmod(0o755)  # the mail user (nobody under root) must reach its home
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam("nobody")
        internal = "dovecot"
        login = "dovenull"
    else:
        mail_user = pwd.getpwuid(os.getuid())
        internal = login = mail_user.pw_name
    for name in users:
        home = root / "home" / name
        (home / "Maildir").mkdir(parents=True)
    subprocess.run(
        ["chown", "-R", f"{mail_user.pw_uid}:{mail_user.pw_gid}", str(root / "home")], check=False
    )
    (root / "passwd").write_text("".join(f"{name}:{{PLAIN}}{PASSWORD}::::::\n" for name in users))
    cert_file, key_file = _certificate(root)
    imap_port, imaps_port = free_port(), free_port()
    (root / "run").mkdir()
    config = root / "dovecot.conf"
    config.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert_file}
ssl_key = <{key_file}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""
    )
    (root / "state").mkdir()
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=open(root / "stderr.log", "wb"),  # noqa: SIM115 -- lives as long as the server
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", imap_port), timeout=1).close()
            return Dovecot(root, imap_port, imaps_port, cert_file, process)
        except OSError:
            time.sleep(0.1)
    log = ""
    for name in ("stderr.log", "dovecot.log"):
        if (root / name).exists():
            log += (root / name).read_text(errors="replace")
    process.kill()
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"dovecot did not start: {log[-2000:]}")
