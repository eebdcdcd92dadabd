"""Credential files with their own formats: .npmrc, .pypirc, .netrc, .git-credentials, docker config.json, …

Each recipe returns (path, text, items); the generator labels the items like any other.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

from carriers import USERS, Item
from fakes import ALNUM, BASE32, LOWER_ALNUM, Fake

Recipe = Callable[[Fake], tuple[str, str, list[Item]]]


def home(g: Fake, rest: str) -> str:
    return f"home/{g.choice(USERS)}/{rest}"


def item(
    provider: str,
    family: str,
    text: str,
    rule: str | None = None,
    *,
    secret: str | None = None,
    decoded: str | None = None,
) -> Item:
    return Item(provider, family, "", text, secret or text, rule, decoded=decoded)


def password(g: Fake) -> str:
    return g.mixed(g.randint(18, 26), "!%*+-_~^")


def npmrc(g: Fake) -> tuple[str, str, list[Item]]:
    npm = item("npm", "packages", "npm_" + g.alnum(36), "npm-access-token")
    gh = item("github", "vcs", "ghp_" + g.alnum(36), "github-pat")
    auth = base64.b64encode(f"ci-publisher:{password(g)}".encode()).decode()
    basic = item("npm-registry", "config_files", auth, "npmrc-auth")
    text = (
        "registry=https://registry.npmjs.org/\n@acme:registry=https://npm.pkg.github.com\n"
        f"//registry.npmjs.org/:_authToken={npm.text}\n//npm.pkg.github.com/:_authToken={gh.text}\n"
        f"//nexus.acme.net/repository/npm-internal/:_auth={auth}\nalways-auth=true\n"
    )
    return home(g, ".npmrc"), text, [npm, gh, basic]


def pypirc(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("pypi", "packages", "pypi-AgEIcHlwaS5vcmc" + g.b64url(170), "pypi-upload-token")
    pw = item("pypi-internal", "config_files", password(g), "pypirc-password")
    text = (
        "[distutils]\nindex-servers =\n    pypi\n    internal\n\n[pypi]\nusername = __token__\n"
        f"password = {token.text}\n\n[internal]\nrepository = https://pypi.acme.net/simple/\nusername = deploy\n"
        f"password = {pw.text}\n"
    )
    return home(g, ".pypirc"), text, [token, pw]


def netrc(g: Fake) -> tuple[str, str, list[Item]]:
    heroku = item("heroku", "cloud", g.uuid(), "heroku-api-key")
    gh = item("github", "vcs", "ghp_" + g.alnum(36), "github-pat")
    pw = item("netrc", "config_files", password(g), "netrc-password")
    text = (
        f"machine api.heroku.com\n  login {g.choice(USERS)}@acme.io\n  password {heroku.text}\n"
        f"machine github.com login {g.choice(USERS)}-bot password {gh.text}\n"
        f"machine artifacts.acme.net\n  login ci\n  password {pw.text}\n"
    )
    return home(g, ".netrc"), text, [heroku, gh, pw]


def git_credentials(g: Fake) -> tuple[str, str, list[Item]]:
    gh = item("github", "vcs", "ghp_" + g.alnum(36), "github-pat")
    gl = item("gitlab", "vcs", "glpat-" + g.b64url(20), "gitlab-pat")
    pw = item("git-credentials", "config_files", g.mixed(22, "-_~"), "url-basic-auth")
    text = (
        f"https://{g.choice(USERS)}:{gh.text}@github.com\nhttps://oauth2:{gl.text}@gitlab.com\n"
        f"https://ci-reader:{pw.text}@git.acme.net\n"
    )
    return home(g, ".git-credentials"), text, [gh, gl, pw]


def docker_config(g: Fake) -> tuple[str, str, list[Item]]:
    registry_pw = password(g)
    hub = "dckr_pat_" + g.b64url(27)
    entries, items = {}, []
    for host, user, secret in (
        ("registry.acme.net", "ci", registry_pw),
        ("https://index.docker.io/v1/", "acmebot", hub),
    ):
        auth = base64.b64encode(f"{user}:{secret}".encode()).decode()
        entries[host] = {"auth": auth}
        items.append(item("docker-config", "config_files", auth, "docker-config-auth", decoded=secret))
    doc = {"auths": entries, "credsStore": "", "currentContext": "default"}
    return home(g, ".docker/config.json"), json.dumps(doc, indent="\t") + "\n", items


def aws_credentials(g: Fake) -> tuple[str, str, list[Item]]:
    items, text = [], ""
    for profile in ("default", g.choice(["prod", "billing-admin", "ci"])):
        key_id = item("aws", "cloud", "AKIA" + g.chars(BASE32, 16), "aws-access-key-id")
        secret = item("aws", "cloud", g.chars(ALNUM + "+/", 40), "aws-secret-access-key")
        items += [key_id, secret]
        text += f"[{profile}]\naws_access_key_id = {key_id.text}\n"
        text += f"aws_secret_access_key = {secret.text}\nregion = eu-west-1\n\n"
    return home(g, ".aws/credentials"), text, items


def kubeconfig(g: Fake) -> tuple[str, str, list[Item]]:
    now = g.randint(1_735_000_000, 1_745_000_000)
    claims = {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "ci",
        "kubernetes.io/serviceaccount/service-account.name": "deployer",
        "sub": "system:serviceaccount:ci:deployer",
        "iat": now,
    }
    token = item("kubernetes", "keys", g.jwt(claims, "RS256"), "jwt")
    ca = base64.b64encode(g.randbytes(780)).decode()
    text = (
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
        f"    certificate-authority-data: {ca}\n    server: https://k8s.prod.acme.net:6443\n  name: prod\n"
        "contexts:\n- context:\n    cluster: prod\n    user: deployer\n  name: prod\ncurrent-context: prod\n"
        f"users:\n- name: deployer\n  user:\n    token: {token.text}\n"
    )
    return home(g, ".kube/config"), text, [token]


def pgpass(g: Fake) -> tuple[str, str, list[Item]]:
    items = [item("pgpass", "config_files", g.mixed(20, "-_~"), "pgpass-password") for _ in range(2)]
    text = f"db.internal:5432:orders:app:{items[0].text}\n*:5432:*:replicator:{items[1].text}\n"
    return home(g, ".pgpass"), text, items


def my_cnf(g: Fake) -> tuple[str, str, list[Item]]:
    pw = item("mysql", "config_files", password(g), "generic-secret-assignment")
    text = f"[client]\nuser=backup\npassword={pw.text}\nhost=mysql.internal\n\n[mysqldump]\nsingle-transaction\n"
    return home(g, ".my.cnf"), text, [pw]


def maven_settings(g: Fake) -> tuple[str, str, list[Item]]:
    pw = item("maven", "config_files", password(g), "maven-settings-password")
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <servers>\n    <server>\n      <id>acme-releases</id>\n'
        f"      <username>deployer</username>\n      <password>{pw.text}</password>\n    </server>\n  </servers>\n"
        "</settings>\n"
    )
    return home(g, ".m2/settings.xml"), text, [pw]


def nuget_config(g: Fake) -> tuple[str, str, list[Item]]:
    pw = item("nuget", "config_files", password(g), "nuget-config-password")
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n'
        '    <add key="acme" value="https://nuget.acme.net/v3/index.json" />\n  </packageSources>\n'
        '  <packageSourceCredentials>\n    <acme>\n      <add key="Username" value="build" />\n'
        f'      <add key="ClearTextPassword" value="{pw.text}" />\n    </acme>\n  </packageSourceCredentials>\n'
        "</configuration>\n"
    )
    return f"src/{g.choice(['Acme.Api', 'Acme.Billing'])}/NuGet.Config", text, [pw]


def gem_credentials(g: Fake) -> tuple[str, str, list[Item]]:
    key = item("rubygems", "packages", "rubygems_" + g.hex(48), "rubygems-api-key")
    return home(g, ".gem/credentials"), f"---\n:rubygems_api_key: {key.text}\n", [key]


def cargo_credentials(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("crates", "packages", "cio" + g.alnum(32), "crates-io-token")
    return home(g, ".cargo/credentials.toml"), f'[registry]\ntoken = "{token.text}"\n', [token]


def terraform_credentials(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("terraform", "packages", f"{g.alnum(14)}.atlasv1.{g.b64url(67)}", "terraform-cloud-token")
    doc = {"credentials": {"app.terraform.io": {"token": token.text}}}
    return home(g, ".terraform.d/credentials.tfrc.json"), json.dumps(doc, indent=2) + "\n", [token]


def composer_auth(g: Fake) -> tuple[str, str, list[Item]]:
    gh = item("github", "vcs", "ghp_" + g.alnum(36), "github-pat")
    pw = item("composer", "config_files", password(g), "composer-auth-json")
    doc = {
        "github-oauth": {"github.com": gh.text},
        "http-basic": {"repo.acme.net": {"username": "build", "password": pw.text}},
    }
    return f"{g.choice(['shop', 'cms'])}/auth.json", json.dumps(doc, indent=4) + "\n", [gh, pw]


def vault_token(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("vault", "packages", "hvs." + g.b64url(95), "vault-service-token")
    return home(g, ".vault-token"), token.text + "\n", [token]


def gh_hosts(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("github", "vcs", "gho_" + g.alnum(36), "github-oauth-token")
    user = g.choice(USERS)
    text = (
        f"github.com:\n    users:\n        {user}:\n            oauth_token: {token.text}\n"
        f"    git_protocol: https\n    user: {user}\n"
    )
    return home(g, ".config/gh/hosts.yml"), text, [token]


def yarnrc(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("yarn", "config_files", g.b64url(40), "yarnrc-npm-auth")
    text = (
        'nodeLinker: node-modules\nnpmRegistries:\n  "//npm.acme.net":\n    npmAlwaysAuth: true\n'
        f'    npmAuthToken: "{token.text}"\n'
    )
    return f"{g.choice(['web', 'dashboard'])}/.yarnrc.yml", text, [token]


def pip_conf(g: Fake) -> tuple[str, str, list[Item]]:
    pw = item("pip", "config_files", g.mixed(20, "-_~"), "url-basic-auth")
    text = f"[global]\nindex-url = https://ci:{pw.text}@pypi.acme.net/simple\ntimeout = 60\n"
    return home(g, ".config/pip/pip.conf"), text, [pw]


def s3cfg(g: Fake) -> tuple[str, str, list[Item]]:
    key_id = item("aws", "cloud", "AKIA" + g.chars(BASE32, 16), "aws-access-key-id")
    secret = item("aws", "cloud", g.chars(ALNUM + "+/", 40), "s3cfg-secret-key")
    text = (
        f"[default]\naccess_key = {key_id.text}\nsecret_key = {secret.text}\n"
        "host_base = s3.amazonaws.com\nuse_https = True\n"
    )
    return home(g, ".s3cfg"), text, [key_id, secret]


def gcloud_adc(g: Fake) -> tuple[str, str, list[Item]]:
    secret = item("gcp", "cloud", "GOCSPX-" + g.b64url(28), "gcp-oauth-client-secret")
    refresh = item("gcp", "cloud", "1//0" + g.b64url(99), "gcp-oauth-refresh-token")
    doc = {
        "account": "",
        "client_id": f"{g.digits(12)}-{g.chars(LOWER_ALNUM, 32)}.apps.googleusercontent.com",
        "client_secret": secret.text,
        "quota_project_id": "acme-prod",
        "refresh_token": refresh.text,
        "type": "authorized_user",
        "universe_domain": "googleapis.com",
    }
    return (
        home(g, ".config/gcloud/application_default_credentials.json"),
        json.dumps(doc, indent=2) + "\n",
        [secret, refresh],
    )


def gcp_service_account(g: Fake) -> tuple[str, str, list[Item]]:
    from fakes import pkcs8_private_key

    key = item("gcp", "cloud", pkcs8_private_key(g), "gcp-service-account-key")
    key = Item(key.provider, key.family, "", key.text, key.text, key.rule, kind="block")
    project = g.choice(["acme-prod", "acme-data-317"])
    doc = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": g.hex(40),
        "private_key": key.text + "\n",
        "client_email": f"etl@{project}.iam.gserviceaccount.com",
        "client_id": g.digits(21),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    }
    return f"keys/{project}-{g.hex(12)}.json", json.dumps(doc, indent=2) + "\n", [key]


def gradle_properties(g: Fake) -> tuple[str, str, list[Item]]:
    items = [item("gradle", "config_files", password(g), "generic-secret-assignment") for _ in range(2)]
    text = (
        "org.gradle.jvmargs=-Xmx2g\nossrhUsername=acme-release\n"
        f"ossrhPassword={items[0].text}\nsigning.keyId=4F1A9C2E\nsigning.password={items[1].text}\n"
    )
    return home(g, ".gradle/gradle.properties"), text, items


def wp_config(g: Fake) -> tuple[str, str, list[Item]]:
    pw = item("wordpress", "generic", password(g), "wordpress-config-secret")
    salt = item("wordpress", "generic", g.chars(ALNUM + "!%*+-_~^()[]{}<>|;:,.", 64))
    text = (
        "<?php\n/** The name of the database for WordPress */\ndefine( 'DB_NAME', 'wp_prod' );\n"
        f"define( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', '{pw.text}' );\ndefine( 'DB_HOST', 'mysql.internal' );\n"
        f"define( 'AUTH_KEY',         '{salt.text}' );\n$table_prefix = 'wp_';\n"
        "require_once ABSPATH . 'wp-settings.php';\n"
    )
    return f"{g.choice(['blog', 'marketing-site'])}/wp-config.php", text, [pw, salt]


def postman_collection(g: Fake) -> tuple[str, str, list[Item]]:
    token = item("postman-bearer", "generic", g.b64url(48))
    doc = {
        "info": {
            "name": "Orders API",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": token.text, "type": "string"}]},
        "item": [{"name": "List orders", "request": {"method": "GET", "url": "{{baseUrl}}/v1/orders"}}],
    }
    return "postman/orders.postman_collection.json", json.dumps(doc, indent="\t") + "\n", [token]


RECIPES: list[tuple[Recipe, int]] = [
    (npmrc, 2),
    (pypirc, 2),
    (netrc, 2),
    (git_credentials, 2),
    (docker_config, 2),
    (aws_credentials, 1),
    (kubeconfig, 2),
    (pgpass, 1),
    (my_cnf, 1),
    (maven_settings, 1),
    (nuget_config, 1),
    (gem_credentials, 1),
    (cargo_credentials, 1),
    (terraform_credentials, 1),
    (composer_auth, 1),
    (vault_token, 1),
    (gh_hosts, 1),
    (yarnrc, 1),
    (pip_conf, 1),
    (s3cfg, 1),
    (gcloud_adc, 1),
    (gcp_service_account, 2),
    (gradle_properties, 1),
    (wp_config, 1),
    (postman_collection, 1),
]
