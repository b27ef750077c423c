"""A private nginx on 127.0.0.1 with the shipped locations (deploy/nginx/) before an app port.

The shipped files include each other under /etc/nginx/chengxin/; here they are
copied into a temporary prefix with that path rewritten, so the benchmark
measures the same cache rules a deployment gets, without TLS.
"""

import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "deploy" / "nginx"
NGINX = "/usr/sbin/nginx"

MAIN = """
user root;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    upstream chengxin_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=chengxin_pages:10m max_size=256m
                     inactive=10m use_temp_path=off;
    include {prefix}/chengxin-http.conf;
    server {{
        listen 127.0.0.1:{port};
        include {prefix}/chengxin-locations.conf;
    }}
}}
"""


class LocalNginx:
    def __init__(self, port, app_port):
        self.port = port
        self.app_port = app_port
        self.prefix = Path(tempfile.mkdtemp(prefix="chengxin-nginx-"))
        self.process = None

    def __enter__(self):
        for source in SHIPPED.glob("chengxin-*.conf"):
            text = source.read_text(encoding="utf-8").replace(
                "/etc/nginx/chengxin", str(self.prefix)
            )
            (self.prefix / source.name).write_text(text, encoding="utf-8")
        config = self.prefix / "nginx.conf"
        config.write_text(
            MAIN.format(prefix=self.prefix, port=self.port, app_port=self.app_port),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(config), "-g", "daemon off;"]
        )
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/livez", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; see {self.prefix}/error.log")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)
        shutil.rmtree(self.prefix, ignore_errors=True)
