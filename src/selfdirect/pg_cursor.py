"""The PostgreSQL cursor Selfdirect uses (decision record 0059): parameters bound on the
server, so psycopg can prepare a query a connection runs often, except for a query with
more parameters than PostgreSQL's protocol carries (65,535; a payment run's ``IN`` list of
every budget at 100,000 people), whose values are written into the SQL on the client, as
Django's default cursor writes every query's."""

from __future__ import annotations

from typing import Any

import psycopg

# The most parameters one statement may bind (the protocol counts them in 16 bits).
MAX_SERVER_PARAMETERS = 65535


class ServerBindingCursor(psycopg.Cursor[Any]):
    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> ServerBindingCursor:
        if params is not None and len(params) > MAX_SERVER_PARAMETERS:
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            params, prepare = None, False
        super().execute(query, params, prepare=prepare, binary=binary)
        return self
