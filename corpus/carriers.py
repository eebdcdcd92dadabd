"""Carriers: the file formats that hold planted secrets (``.env``, YAML, source code, logs, …).

A carrier renders a list of :class:`Item` into realistic file text; the generator then finds each
item's secret in that text to label its line. Items come in three kinds:

- ``assign``: a value under a key name (``NAME=value``, ``"name": "value"``, ``NAME = "value"`` …);
- ``block``: a multi-line value (a private key), written whole into key files or embedded;
- ``line``: a command or header that carries the secret (``Authorization: Bearer …``, ``--password=…``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from fakes import Fake

SERVICES = [
    "billing",
    "orders",
    "search-api",
    "checkout",
    "notifier",
    "ingest",
    "reports",
    "auth-gateway",
    "media",
    "catalog",
    "ledger",
    "scheduler",
    "webhooks",
    "analytics",
    "support-bot",
    "agent-runner",
]
HOSTS = ["api.acme-shop.io", "internal.acme.net", "eu.orders.acme.cloud", "ops.acme.dev", "svc.northwind.app"]
USERS = ["dana", "lee", "ops", "ci", "sam", "priya", "build"]


@dataclass(frozen=True)
class Item:
    """One planted secret, ready to be written by a carrier."""

    provider: str
    family: str
    name: str  # key name in ENV_STYLE; carriers restyle it
    text: str  # what the carrier writes
    secret: str  # the labelled value: text itself or a part of it (a URI's password)
    rule: str | None = None  # the Veil rule expected to report it, when known
    kind: str = "assign"  # assign | block | line
    shape: str = ""  # line items: bearer, basic, apikey-header, token-header, curl-user, flag
    decoded: str | None = None  # when the file holds an encoding of the secret (base64 in a k8s Secret)


# ---------------------------------------------------------------------------------------------- names


def snake(name: str) -> str:
    return name.lower()


def camel(name: str) -> str:
    if "_" not in name and not name.isupper():
        return name
    head, *rest = name.lower().split("_")
    return head + "".join(p.title() for p in rest)


def pascal(name: str) -> str:
    name = camel(name)
    return name[:1].upper() + name[1:]


def kebab(name: str) -> str:
    return name.lower().replace("_", "-")


def dotted(name: str) -> str:
    return name.lower().replace("_", ".")


def yaml_scalar(value: str, g: Fake) -> str:
    plain = value.replace("-", "").replace("_", "").replace(".", "").replace("/", "").isalnum()
    return value if plain and value[0].isalpha() and g.random() < 0.5 else f'"{value}"'


def shell_word(value: str) -> str:
    """The value as one word of a shell or .env line (quoted when it holds a space, as a FlyV1 token does)."""
    return f'"{value}"' if " " in value else value


def xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def ts(g: Fake, day: int = 14) -> str:
    hour, minute, second, milli = g.randint(0, 23), g.randint(0, 59), g.randint(0, 59), g.randint(0, 999)
    return f"2025-03-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


def indent(text: str, n: int) -> str:
    return "\n".join(" " * n + line if line else line for line in text.split("\n"))


# ---------------------------------------------------------------------------------------------- line items


def line_text(item: Item, style: str, g: Fake) -> str:
    """A command (``shell``), an HTTP header (``http``) or a log record (``log``) carrying a line item."""
    host, s = g.choice(HOSTS), item.text
    path = g.choice(["v1/orders", "v2/invoices?limit=50", "api/reports/daily", "v1/me", "internal/sync"])
    header = {
        "bearer": f"Authorization: Bearer {s}",
        "basic": f"Authorization: Basic {s}",
        "apikey-header": f"X-API-Key: {s}",
        "token-header": f"Authorization: Token {s}",
    }.get(item.shape)
    if header:
        if style == "http":
            return header
        if style == "log":
            return f"{ts(g)} DEBUG urllib3.connectionpool send: GET /{path} HTTP/1.1 | Host: {host} | {header}"
        return f'curl -sS -H "{header}" https://{host}/{path}'
    if item.shape == "curl-user":
        command = f"curl -fsSL -u {g.choice(['deploy', 'ci-bot', 'reporter'])}:{s} https://{host}/{path}"
    else:  # flag: the item's text is the whole command
        command = s
    return f"{ts(g)} INFO runner exec: {command}" if style == "log" else command


def flag_command(g: Fake, password: str) -> str:
    return g.choice(
        [
            f"mysqldump --host=db.internal --user=backup --password={password} shop > shop.sql",
            f"java -jar build/libs/ledger.jar --spring.datasource.password={password}",
            f"helm upgrade --install pg bitnami/postgresql --set auth.postgresPassword={password}",
            f"kubectl create secret generic orders-db --from-literal=password={password}",
            f"docker run -d -e POSTGRES_PASSWORD={password} -p 5432:5432 postgres:16",
            f'terraform apply -auto-approve -var="db_password={password}"',
            f"./bin/migrate --db-host=10.0.3.17 --db-user=migrator --db-password={password}",
            f"redis-cli -h cache.internal --pass={password} ping",
        ]
    )


# ---------------------------------------------------------------------------------------------- carriers

Render = Callable[[Fake, list[Item]], str]


@dataclass(frozen=True)
class Carrier:
    name: str
    render: Render
    paths: tuple[str, ...]  # path templates: {svc}, {user}, {n}
    kinds: frozenset[str] = frozenset({"assign"})
    max_groups: int = 4
    dollar_safe: bool = True  # a literal $ survives (no shell/compose/Docker interpolation)


def env_file(g: Fake, items: list[Item]) -> str:
    lines = [
        f"# {g.choice(['Production', 'Staging', 'Local'])} settings for the {g.choice(SERVICES)} service",
        "APP_ENV=production",
        f"PORT={g.choice([3000, 8000, 8080])}",
        "LOG_LEVEL=info",
    ]
    for item in items:
        if item.kind == "block":
            lines.append(f'{item.name.upper()}="{item.text}"')
        else:
            quoted = g.random() < 0.3
            lines.append(f'{item.name}="{item.text}"' if quoted else f"{item.name}={shell_word(item.text)}")
        if g.random() < 0.4:
            lines.append(g.choice(["WORKERS=4", "TZ=UTC", "FEATURE_CHECKOUT_V2=true", "AWS_REGION=eu-west-1"]))
    lines.append("CACHE_TTL_SECONDS=300")
    return "\n".join(lines) + "\n"


def shell_script(g: Fake, items: list[Item]) -> str:
    lines = ["#!/usr/bin/env bash", "# Deploy helper: run from the repo root.", "set -euo pipefail", ""]
    for item in items:
        if item.kind == "line":
            lines += [f"echo 'calling {g.choice(HOSTS)}'", line_text(item, "shell", g)]
        else:
            lines.append(f"export {item.name}='{item.text}'")
    lines += ["", 'echo "done: $(date -u +%FT%TZ)"']
    return "\n".join(lines) + "\n"


def history(g: Fake, items: list[Item]) -> str:
    zsh = g.random() < 0.5
    stamp = g.randint(1_735_000_000, 1_745_000_000)
    commands = ["cd ~/src/" + g.choice(SERVICES), "git status", "git pull --rebase"]
    for item in items:
        commands.append(
            line_text(item, "shell", g) if item.kind == "line" else f"export {item.name}={shell_word(item.text)}"
        )
        commands += g.sample(
            ["ls -la", "make test", "docker ps", "kubectl get pods -n prod", "git log --oneline -5"], 2
        )
    commands.append("exit")
    if zsh:
        return "".join(f": {stamp + 37 * i}:0;{c}\n" for i, c in enumerate(commands))
    return "\n".join(commands) + "\n"


def dockerfile(g: Fake, items: list[Item]) -> str:
    lines = [
        f"FROM python:3.12-slim AS {g.choice(['app', 'runtime', 'base'])}",
        "WORKDIR /srv/app",
        "COPY requirements.txt .",
        "RUN pip install --no-cache-dir -r requirements.txt",
    ]
    for item in items:
        form = g.choice(["ENV {n}={v}", "ARG {n}={v}", 'ENV {n}="{v}"', "ENV {n} {v}"])
        lines.append(form.format(n=item.name, v=item.text if '"' in form else shell_word(item.text)))
    lines += ["COPY . .", 'CMD ["gunicorn", "app:create_app()", "--bind", "0.0.0.0:8000"]']
    return "\n".join(lines) + "\n"


def compose(g: Fake, items: list[Item]) -> str:
    svc = g.choice(SERVICES)
    lines = [
        "services:",
        f"  {svc}:",
        f"    image: ghcr.io/acme/{svc}:1.{g.randint(0, 40)}.{g.randint(0, 9)}",
        "    ports:",
        '      - "8080:8080"',
        "    environment:",
    ]
    listed = g.random() < 0.5
    for item in items:
        lines.append(
            f"      - {item.name}={item.text}" if listed else f"      {item.name}: {yaml_scalar(item.text, g)}"
        )
    lines += ["    depends_on:", "      - db", "  db:", "    image: postgres:16-alpine"]
    return "\n".join(lines) + "\n"


def k8s_deployment(g: Fake, items: list[Item]) -> str:
    svc = g.choice(SERVICES)
    lines = [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        f"  name: {svc}",
        "  namespace: prod",
        "spec:",
        "  replicas: 3",
        "  selector:",
        "    matchLabels:",
        f"      app: {svc}",
        "  template:",
        "    metadata:",
        "      labels:",
        f"        app: {svc}",
        "    spec:",
        "      containers:",
        f"        - name: {svc}",
        f"          image: registry.acme.net/{svc}:2025.03.{g.randint(1, 28)}",
        "          env:",
        "            - name: LOG_LEVEL",
        '              value: "info"',
    ]
    for item in items:
        lines += [f"            - name: {item.name}", f'              value: "{item.text}"']
    lines += ["          ports:", "            - containerPort: 8080"]
    return "\n".join(lines) + "\n"


def k8s_secret(g: Fake, items: list[Item]) -> str:
    lines = [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        f"  name: {g.choice(SERVICES)}-env",
        "  namespace: prod",
        "type: Opaque",
        "stringData:",
    ]
    for item in items:
        if item.kind == "block":
            lines += [f"  {kebab(item.name)}.pem: |", indent(item.text, 4)]
        else:
            lines.append(f"  {item.name}: {yaml_scalar(item.text, g)}")
    return "\n".join(lines) + "\n"


def k8s_secret_data(g: Fake, items: list[Item]) -> str:
    """A Secret with base64 ``data:``; the generator labels the base64 text (see encode_for_k8s)."""
    lines = [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        f"  name: {g.choice(SERVICES)}-credentials",
        "  labels:",
        "    app.kubernetes.io/managed-by: helm",
        "type: Opaque",
        "data:",
    ]
    lines += [f"  {item.name}: {item.secret}" for item in items]
    return "\n".join(lines) + "\n"


def helm_values(g: Fake, items: list[Item]) -> str:
    lines = [
        "replicaCount: 2",
        "image:",
        f"  repository: ghcr.io/acme/{g.choice(SERVICES)}",
        '  tag: ""',
        "service:",
        "  type: ClusterIP",
        "  port: 80",
        "",
        "# TODO: move to external-secrets",
        "config:",
    ]
    for item in items:
        lines.append(f"  {camel(item.name)}: {yaml_scalar(item.text, g)}")
    lines += ["", "resources:", "  limits:", "    memory: 512Mi"]
    return "\n".join(lines) + "\n"


def github_actions(g: Fake, items: list[Item]) -> str:
    lines = [
        f"name: {g.choice(['deploy', 'release', 'nightly'])}",
        "on:",
        "  push:",
        "    branches: [main]",
        "jobs:",
        "  deploy:",
        "    runs-on: ubuntu-latest",
        "    env:",
    ]
    lines += [f"      {i.name}: {yaml_scalar(i.text, g)}" for i in items if i.kind == "assign"]
    lines += ["    steps:", "      - uses: actions/checkout@v4", "      - name: Deploy", "        run: |"]
    lines += [f"          {line_text(i, 'shell', g)}" for i in items if i.kind == "line"]
    lines.append("          ./scripts/deploy.sh production")
    return "\n".join(lines) + "\n"


def gitlab_ci(g: Fake, items: list[Item]) -> str:
    lines = ["stages: [build, deploy]", "", "variables:", '  DOCKER_DRIVER: "overlay2"']
    lines += [f'  {i.name}: "{i.text}"' for i in items if i.kind == "assign"]
    lines += ["", "deploy:", "  stage: deploy", "  image: alpine:3.20", "  script:"]
    lines += [f"    - {line_text(i, 'shell', g)}" for i in items if i.kind == "line"]
    lines += ["    - ./ci/deploy.sh", "  only: [main]"]
    return "\n".join(lines) + "\n"


def json_config(g: Fake, items: list[Item]) -> str:
    style = g.choice([camel, pascal, snake])
    section: dict = {}
    for item in items:
        section[style(item.name) if item.kind == "assign" else style("private_key")] = item.text
    doc = {
        "service": g.choice(SERVICES),
        "environment": "production",
        "port": 8080,
        "credentials": section,
        "features": {"search": True, "exports": False},
    }
    return json.dumps(doc, indent=g.choice([2, 4])) + "\n"


def toml_config(g: Fake, items: list[Item]) -> str:
    lines = [
        "[app]",
        f'name = "{g.choice(SERVICES)}"',
        "debug = false",
        "",
        f"[{g.choice(['secrets', 'api', 'integrations'])}]",
    ]
    for item in items:
        if item.kind == "block":
            lines.append(f'{snake(item.name)} = """\n{item.text}\n"""')
        else:
            lines.append(f'{snake(item.name)} = "{item.text}"')
    lines += ["", "[server]", 'host = "0.0.0.0"', "port = 8501"]
    return "\n".join(lines) + "\n"


def ini_config(g: Fake, items: list[Item]) -> str:
    lines = ["[DEFAULT]", "timeout = 30", "", f"[{g.choice(SERVICES)}]"]
    lines += [f"{snake(i.name)} = {i.text}" for i in items]
    lines += ["", "[logging]", "level = INFO"]
    return "\n".join(lines) + "\n"


def properties(g: Fake, items: list[Item]) -> str:
    lines = ["# Spring profile: prod", "server.port=8080", "spring.jpa.open-in-view=false"]
    lines += [f"{dotted(i.name)}={i.text}" for i in items]
    lines.append("management.endpoints.web.exposure.include=health,info")
    return "\n".join(lines) + "\n"


def web_config(g: Fake, items: list[Item]) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<configuration>",
        "  <appSettings>",
        '    <add key="Environment" value="Production" />',
    ]
    lines += [f'    <add key="{pascal(i.name)}" value="{xml_escape(i.text)}" />' for i in items]
    lines += [
        "  </appSettings>",
        '  <system.web><compilation debug="false" targetFramework="4.8" /></system.web>',
        "</configuration>",
    ]
    return "\n".join(lines) + "\n"


def spring_xml(g: Fake, items: list[Item]) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<beans xmlns="http://www.springframework.org/schema/beans">',
        '  <bean id="clients" class="com.acme.config.Clients">',
    ]
    lines += [f'    <property name="{camel(i.name)}" value="{xml_escape(i.text)}"/>' for i in items]
    lines += ["  </bean>", "</beans>"]
    return "\n".join(lines) + "\n"


def terraform(g: Fake, items: list[Item]) -> str:
    lines = [
        "terraform {",
        '  required_version = ">= 1.6"',
        "}",
        "",
        'provider "aws" {',
        '  region = "eu-west-1"',
        "}",
        "",
        "locals {",
    ]
    for item in items:
        if item.kind == "block":
            lines.append(f"  {snake(item.name)} = <<-EOT\n{indent(item.text, 4)}\n  EOT")
        else:
            lines.append(f'  {snake(item.name)} = "{item.text}"')
    lines += ["}", "", 'module "app" {', '  source = "./modules/app"', "  env    = local.env_vars", "}"]
    return "\n".join(lines) + "\n"


def tfvars(g: Fake, items: list[Item]) -> str:
    lines = ['environment = "prod"', 'region      = "eu-central-1"']
    lines += [f'{snake(i.name)} = "{i.text}"' for i in items]
    return "\n".join(lines) + "\n"


SDK = {
    "openai": ("from openai import OpenAI", 'client = OpenAI(api_key="{v}")'),
    "anthropic": ("import anthropic", 'client = anthropic.Anthropic(api_key="{v}")'),
    "groq": ("from groq import Groq", 'groq_client = Groq(api_key="{v}")'),
    "stripe": ("import stripe", 'stripe.api_key = "{v}"'),
    "slack": ("from slack_sdk import WebClient", 'slack = WebClient(token="{v}")'),
    "github": ("from github import Github", 'gh = Github("{v}")'),
}


def python_module(g: Fake, items: list[Item]) -> str:
    imports, body = ["import os", "import logging"], []
    for item in items:
        if item.kind == "block":
            body.append(f'{item.name.upper()} = """{item.text}\n"""')
        elif item.provider in SDK and g.random() < 0.6:
            imp, call = SDK[item.provider]
            imports.append(imp)
            body.append(call.format(v=item.text))
        else:
            body.append(g.choice(['{n} = "{v}"', '{n} = os.getenv("{n}", "{v}")']).format(n=item.name, v=item.text))
    header = '"""Runtime configuration."""\n\n' + "\n".join(dict.fromkeys(imports))
    footer = '\nlog = logging.getLogger(__name__)\nDEBUG = os.getenv("DEBUG") == "1"\n'
    return header + "\n\n" + "\n".join(body) + "\n" + footer


def js_module(g: Fake, items: list[Item]) -> str:
    names = [item.name if g.random() < 0.5 else camel(item.name) for item in items]
    lines = ["'use strict';", "", "const env = process.env.NODE_ENV || 'production';", ""]
    lines += [f'const {name} = "{item.text}";' for name, item in zip(names, items, strict=True)]
    lines += ["", f"module.exports = {{ env, {', '.join(names)} }};"]
    return "\n".join(lines) + "\n"


def ts_module(g: Fake, items: list[Item]) -> str:
    lines = ["import { z } from 'zod';", "", "export const config = {", "  region: 'eu-west-1',"]
    lines += [f"  {camel(i.name)}: '{i.text}'," for i in items]
    lines += ["} as const;", "", "export type Config = typeof config;"]
    return "\n".join(lines) + "\n"


def go_source(g: Fake, items: list[Item]) -> str:
    lines = ["package config", "", 'import "time"', "", "const ("]
    lines += [f'\t{camel(i.name)} = "{i.text}"' for i in items]
    lines += [")", "", "// Timeout for outbound calls.", "var Timeout = 30 * time.Second"]
    return "\n".join(lines) + "\n"


def java_source(g: Fake, items: list[Item]) -> str:
    cls = g.choice(["ClientConfig", "Integrations", "ApiSettings"])
    lines = ["package com.acme.config;", "", f"public final class {cls} {{", f"    private {cls}() {{}}", ""]
    lines += [f'    public static final String {i.name} = "{i.text}";' for i in items]
    lines.append("}")
    return "\n".join(lines) + "\n"


def kotlin_source(g: Fake, items: list[Item]) -> str:
    lines = ["package com.acme.mobile", "", "object Keys {"]
    lines += [f'    const val {i.name} = "{i.text}"' for i in items]
    lines.append("}")
    return "\n".join(lines) + "\n"


def csharp_source(g: Fake, items: list[Item]) -> str:
    lines = ["namespace Acme.Payments;", "", "public static class Settings", "{"]
    lines += [f'    public const string {pascal(i.name)} = "{i.text}";' for i in items]
    lines.append("}")
    return "\n".join(lines) + "\n"


def ruby_source(g: Fake, items: list[Item]) -> str:
    lines = ["# frozen_string_literal: true", "", "Rails.application.configure do"]
    lines += [f"  config.x.{snake(i.name)} = '{i.text}'" for i in items]
    lines.append("end")
    return "\n".join(lines) + "\n"


def rust_source(g: Fake, items: list[Item]) -> str:
    lines = ["//! Build-time settings.", ""]
    lines += [f'pub const {i.name}: &str = "{i.text}";' for i in items]
    return "\n".join(lines) + "\n"


def php_config(g: Fake, items: list[Item]) -> str:
    lines = ["<?php", "", "return ["]
    lines += [f"    '{snake(i.name)}' => '{i.text}'," for i in items]
    lines += ["    'timezone' => 'UTC',", "];"]
    return "\n".join(lines) + "\n"


def notebook(g: Fake, items: list[Item]) -> str:
    setup = ["import os\n"] + [f'os.environ["{i.name}"] = "{i.text}"\n' for i in items]
    cells = [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": ["# Evaluation run\n", "Load the data and score the model."],
        },
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": setup},
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {},
            "outputs": [],
            "source": ["import pandas as pd\n", "df = pd.read_parquet('runs.parquet')\n", "df.head()"],
        },
    ]
    doc = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(doc, indent=1) + "\n"


def log_file(g: Fake, items: list[Item]) -> str:
    svc = g.choice(SERVICES)
    lines = [
        f"{ts(g, 13)} INFO  {svc} starting, version 4.{g.randint(0, 20)}.{g.randint(0, 9)}",
        f"{ts(g, 13)} INFO  {svc} connected to broker",
    ]
    for item in items:
        if item.kind == "line":
            lines.append(line_text(item, "log", g))
        else:
            lines.append(
                g.choice(
                    [
                        f"{ts(g)} DEBUG {svc}.config loaded setting {item.name}={item.text}",
                        f"{ts(g)} ERROR {svc}.client 401 Unauthorized with {item.name}={item.text}",
                        f'{ts(g)} WARN  {svc} env dump: {{"{item.name}": "{item.text}", "REGION": "eu-west-1"}}',
                    ]
                )
            )
        lines.append(f"{ts(g)} INFO  {svc} request_id={g.uuid()} status=200 duration_ms={g.randint(3, 900)}")
    return "\n".join(lines) + "\n"


def agent_trace(g: Fake, items: list[Item]) -> str:
    session = g.uuid()
    records = [{"type": "session", "id": session, "model": "claude-sonnet-4", "cwd": f"/home/{g.choice(USERS)}/src"}]
    for n, item in enumerate(items):
        call = f"toolu_01{g.alnum(22)}"
        command = line_text(item, "shell", g) if item.kind == "line" else "cat .env"
        output = (
            "ok"
            if item.kind == "line"
            else f"APP_ENV=production\n{item.name}={shell_word(item.text)}\nLOG_LEVEL=info\n"
        )
        records += [
            {"type": "tool_use", "id": call, "name": "bash", "input": {"command": command}, "turn": n},
            {"type": "tool_result", "tool_use_id": call, "content": output, "is_error": False},
            {"type": "usage", "input_tokens": g.randint(900, 40000), "output_tokens": g.randint(20, 2000)},
        ]
    return "".join(json.dumps(r) + "\n" for r in records)


def markdown_doc(g: Fake, items: list[Item]) -> str:
    lines = [
        f"# {g.choice(SERVICES).replace('-', ' ').title()} runbook",
        "",
        "Notes from the incident bridge.",
        "",
        "## Reproduce",
        "",
        "```sh",
    ]
    for item in items:
        lines.append(
            line_text(item, "shell", g) if item.kind == "line" else f"export {item.name}={shell_word(item.text)}"
        )
    lines += ["```", "", "Rotate these after the incident (ticket OPS-" + str(g.randint(100, 999)) + ")."]
    return "\n".join(lines) + "\n"


def http_file(g: Fake, items: list[Item]) -> str:
    blocks = []
    for item in items:
        blocks.append(
            f"### {g.choice(['List orders', 'Fetch invoice', 'Health'])}\nGET https://{g.choice(HOSTS)}/v1/orders\n"
            f"Accept: application/json\n{line_text(item, 'http', g)}\n"
        )
    return "\n".join(blocks)


def makefile(g: Fake, items: list[Item]) -> str:
    lines = [".PHONY: deploy smoke", "", "deploy:", "\t./scripts/deploy.sh", "", "smoke:"]
    lines += ["\t" + line_text(i, "shell", g) for i in items]
    return "\n".join(lines) + "\n"


def key_file(g: Fake, items: list[Item]) -> str:
    return "\n".join(i.text for i in items) + "\n"


def json_key(g: Fake, items: list[Item]) -> str:
    (item,) = items
    doc = {"name": f"organizations/{g.uuid()}/apiKeys/{g.uuid()}", item.name: item.text + "\n"}
    return json.dumps(doc, indent=2) + "\n"


def p(*paths: str) -> tuple[str, ...]:
    return paths


ASSIGN = frozenset({"assign"})
ASSIGN_BLOCK = frozenset({"assign", "block"})
LINES = frozenset({"assign", "line"})

CARRIERS: list[Carrier] = [
    Carrier(
        "env",
        env_file,
        p("{svc}/.env", "{svc}/.env.production", "deploy/{svc}.env", "{svc}/config/.env.local"),
        ASSIGN_BLOCK,
    ),
    Carrier(
        "shell",
        shell_script,
        p("scripts/deploy-{svc}.sh", "ops/{svc}/bootstrap.sh", "bin/rotate-{n}.sh"),
        LINES,
        dollar_safe=False,
    ),
    Carrier("history", history, p("home/{user}/.bash_history", "home/{user}/.zsh_history"), LINES, dollar_safe=False),
    Carrier("dockerfile", dockerfile, p("{svc}/Dockerfile", "docker/{svc}.Dockerfile"), dollar_safe=False),
    Carrier("compose", compose, p("{svc}/docker-compose.yml", "{svc}/compose.override.yaml"), dollar_safe=False),
    Carrier(
        "k8s-deployment",
        k8s_deployment,
        p(
            "k8s/{svc}/deployment.yaml",
        ),
    ),
    Carrier("k8s-secret", k8s_secret, p("k8s/{svc}/secret.yaml", "manifests/{svc}-secret.yml"), ASSIGN_BLOCK),
    Carrier("helm", helm_values, p("charts/{svc}/values.yaml", "charts/{svc}/values-prod.yaml")),
    Carrier(
        "github-actions",
        github_actions,
        p(
            ".github/workflows/deploy-{svc}.yml",
        ),
        LINES,
    ),
    Carrier(
        "gitlab-ci",
        gitlab_ci,
        p(
            "{svc}/.gitlab-ci.yml",
        ),
        LINES,
        dollar_safe=False,
    ),
    Carrier(
        "json",
        json_config,
        p("config/{svc}.json", "{svc}/appsettings.Production.json", "{svc}/config/default.json"),
        ASSIGN_BLOCK,
    ),
    Carrier("toml", toml_config, p("{svc}/.streamlit/secrets.toml", "config/{svc}.toml"), ASSIGN_BLOCK),
    Carrier("ini", ini_config, p("config/{svc}.ini", "{svc}/app.cfg")),
    Carrier(
        "properties",
        properties,
        p(
            "{svc}/src/main/resources/application-prod.properties",
        ),
    ),
    Carrier(
        "web-config",
        web_config,
        p(
            "{svc}/Web.config",
        ),
    ),
    Carrier(
        "spring-xml",
        spring_xml,
        p(
            "{svc}/src/main/resources/clients.xml",
        ),
    ),
    Carrier("terraform", terraform, p("infra/{svc}/main.tf", "infra/modules/{svc}/locals.tf"), ASSIGN_BLOCK),
    Carrier("tfvars", tfvars, p("infra/envs/prod-{n}.tfvars", "infra/{svc}/terraform.tfvars")),
    Carrier(
        "python", python_module, p("{svc}/settings.py", "{svc}/app/config.py", "scripts/backfill_{n}.py"), ASSIGN_BLOCK
    ),
    Carrier("javascript", js_module, p("web/{svc}/config.js", "{svc}/src/keys.mjs")),
    Carrier("typescript", ts_module, p("{svc}/src/config.ts", "apps/{svc}/lib/env.ts")),
    Carrier(
        "go",
        go_source,
        p(
            "{svc}/internal/config/keys.go",
        ),
    ),
    Carrier(
        "java",
        java_source,
        p(
            "{svc}/src/main/java/com/acme/config/Keys{n}.java",
        ),
    ),
    Carrier(
        "kotlin",
        kotlin_source,
        p(
            "android/app/src/main/java/com/acme/mobile/Keys{n}.kt",
        ),
    ),
    Carrier(
        "csharp",
        csharp_source,
        p(
            "{svc}/src/Settings{n}.cs",
        ),
    ),
    Carrier(
        "ruby",
        ruby_source,
        p(
            "{svc}/config/initializers/integrations_{n}.rb",
        ),
    ),
    Carrier(
        "rust",
        rust_source,
        p(
            "{svc}/src/keys.rs",
        ),
    ),
    Carrier(
        "php",
        php_config,
        p(
            "{svc}/config/services.php",
        ),
    ),
    Carrier(
        "notebook",
        notebook,
        p(
            "notebooks/{svc}-eval-{n}.ipynb",
        ),
    ),
    Carrier("log", log_file, p("logs/{svc}.log", "var/log/{svc}/app-{n}.log"), LINES),
    Carrier("agent-trace", agent_trace, p("traces/session-{n}.jsonl", ".agent/sessions/{svc}-{n}.jsonl"), LINES),
    Carrier("markdown", markdown_doc, p("docs/runbooks/{svc}.md", "notes/incident-{n}.md"), LINES),
    Carrier(
        "http",
        http_file,
        p(
            "requests/{svc}.http",
        ),
        frozenset({"line"}),
        max_groups=2,
    ),
    Carrier(
        "makefile",
        makefile,
        p(
            "{svc}/Makefile",
        ),
        frozenset({"line"}),
        max_groups=2,
        dollar_safe=False,
    ),
]

BLOCK_CARRIERS: list[Carrier] = [
    Carrier(
        "key-file",
        key_file,
        p("keys/{svc}.pem", "home/{user}/.ssh/id_{svc}", "certs/{svc}/tls.key", "secrets/{svc}-{n}.key"),
        frozenset({"block"}),
        max_groups=1,
    ),
    Carrier(
        "ppk",
        key_file,
        p(
            "home/{user}/keys/{svc}.ppk",
        ),
        frozenset({"block"}),
        max_groups=1,
    ),
    Carrier(
        "asc",
        key_file,
        p(
            "release/{svc}-signing-{n}.asc",
        ),
        frozenset({"block"}),
        max_groups=1,
    ),
    Carrier(
        "json-key",
        json_key,
        p(
            "keys/cdp_api_key_{n}.json",
        ),
        frozenset({"block"}),
        max_groups=1,
    ),
]


def for_k8s_data(item: Item) -> Item:
    """The item as a base64 ``data:`` entry: the file holds base64 of the whole value."""
    encoded = base64.b64encode(item.text.encode()).decode()
    return replace(item, text=encoded, secret=encoded, decoded=item.secret)


K8S_DATA = Carrier(
    "k8s-secret-data",
    k8s_secret_data,
    p(
        "k8s/{svc}/credentials-secret.yaml",
    ),
)
