"""Reading a bank or prepaid-card statement: CSV in a few named layouts (or any layout with
its columns named) and OFX (through ofxtools, decision 0031). No Django.

Everything or nothing: every problem is collected with the row and the column (or OFX
field) it is in, and a file with any problem gives no transactions. docs/statements.md
describes the layouts with examples."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from selfdirect.file_checks import FileRefused, csv_records, text_decode

# Named CSV layouts: each column's possible headings (compared without case or spaces).
DATE_HEADINGS = ("date", "transactiondate", "posteddate", "dateposted")
DESCRIPTION_HEADINGS = ("description", "details", "narrative", "payee", "transactiondescription")
AMOUNT_HEADINGS = ("amount", "value")
PAID_OUT_HEADINGS = ("paidout", "moneyout", "debit", "debitamount", "out")
PAID_IN_HEADINGS = ("paidin", "moneyin", "credit", "creditamount", "in")
BALANCE_HEADINGS = ("balance", "runningbalance")

LAYOUTS = {
    "amount": "Date, description, amount (money out as a minus), and a balance if given",
    "paid_out_in": "Date, description, paid out, paid in, balance",
    "columns": "Any other layout: name the columns",
}

SELECT_FILE = "Select a statement file (CSV or OFX)"
WRONG_TYPE = "The selected file must be a CSV or an OFX file"
NO_ROWS = "The statement has no transactions"
NO_HEADER_MATCH = (
    "The columns were not recognised: the first row must name the columns, such as "
    "Date, Description, Amount (or Paid out, Paid in, Balance). Otherwise choose "
    '"Name the columns" and say which column is which'
)
COLUMN_MISSING = "There is no column called {name}"
DATE_INVALID = "{value} is not a date: write it like 31/03/2026 or 2026-03-31"
AMOUNT_INVALID = "{value} is not an amount in pounds and pence, such as 12.50 or -12.50"
BOTH_AMOUNTS = "A row has an amount in both paid out and paid in: use one of them"
NO_AMOUNT = "A row needs an amount (paid out or paid in)"
DESCRIPTION_MISSING = "Enter a description for the transaction"
TOO_MANY_CELLS = "The row has more cells than the header names columns"
OFX_UNREADABLE = "{name} is not an OFX statement that can be read: {problem}"
OFX_NO_STATEMENT = "{name} holds no bank or card statement"
OFX_NOT_POUNDS = "{name} is in {currency}: statements must be in pounds (GBP)"


@dataclass(frozen=True)
class RowError:
    row: int  # as the user counts: the header is row 1; in OFX, the transaction's number
    column: str
    message: str


class StatementRefused(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass(frozen=True)
class ParsedTransaction:
    posted_on: dt.date
    amount_pence: int  # money out is negative
    description: str
    fitid: str = ""


@dataclass(frozen=True)
class ParsedStatement:
    kind: str  # "csv" or "ofx"
    layout: str
    transactions: list[ParsedTransaction]
    balance_pence: int | None = None
    balance_on: dt.date | None = None

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        days = [t.posted_on for t in self.transactions]
        return (min(days), max(days)) if days else (None, None)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column is which, for a layout with no recognised headings."""

    date: str
    description: str
    amount: str = ""
    paid_out: str = ""
    paid_in: str = ""
    balance: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _key(heading: str) -> str:
    return re.sub(r"[^a-z]", "", heading.lower())


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y", "%d.%m.%Y")


def date_parse(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def pence_parse(text: str) -> int | None:
    """'£1,234.50' -> 123450; '-12.5' -> -1250; '(12.50)' -> -1250; else None."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace(" ", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if cleaned.upper().endswith(("CR", "DR")):
        negative = negative or cleaned.upper().endswith("DR")
        cleaned = cleaned[:-2]
    if not re.fullmatch(r"[+-]?(\d+(\.\d{0,2})?|\.\d{1,2})", cleaned):
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    pence = int(amount * 100)
    return -pence if negative else pence


def _index(header: list[str], headings: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in header]
    return next((keys.index(h) for h in headings if h in keys), None)


def csv_parse(data: bytes, name: str, mapping: ColumnMapping | None = None) -> ParsedStatement:
    """A CSV statement: a named layout recognised from its headings, or ``mapping``."""
    try:
        records = list(csv_records(text_decode(data, name), name))
    except FileRefused as refused:
        raise StatementRefused([RowError(0, "", str(refused))]) from refused
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise StatementRefused([RowError(0, "", NO_ROWS)])
    _, header = records[0]
    columns: dict[str, int | None]
    errors: list[RowError] = []
    if mapping is not None:
        layout = "columns"
        keys = [h.strip().lower() for h in header]
        columns = {}
        for part, wanted in (
            ("date", mapping.date),
            ("description", mapping.description),
            ("amount", mapping.amount),
            ("paid_out", mapping.paid_out),
            ("paid_in", mapping.paid_in),
            ("balance", mapping.balance),
        ):
            if not wanted:
                columns[part] = None
            elif wanted.strip().lower() in keys:
                columns[part] = keys.index(wanted.strip().lower())
            else:
                errors.append(RowError(1, wanted, COLUMN_MISSING.format(name=wanted)))
        if errors:
            raise StatementRefused(errors)
    else:
        columns = {
            "date": _index(header, DATE_HEADINGS),
            "description": _index(header, DESCRIPTION_HEADINGS),
            "amount": _index(header, AMOUNT_HEADINGS),
            "paid_out": _index(header, PAID_OUT_HEADINGS),
            "paid_in": _index(header, PAID_IN_HEADINGS),
            "balance": _index(header, BALANCE_HEADINGS),
        }
        if columns["amount"] is not None:
            layout = "amount"
        elif columns["paid_out"] is not None or columns["paid_in"] is not None:
            layout = "paid_out_in"
        else:
            layout = ""
        if not layout or columns["date"] is None or columns["description"] is None:
            raise StatementRefused([RowError(1, "", NO_HEADER_MATCH)])
    heading = {part: (header[i] if i is not None else "") for part, i in columns.items()}

    def cell(cells: list[str], part: str) -> str:
        i = columns[part]
        return cells[i].strip() if i is not None and i < len(cells) else ""

    rows: list[tuple[ParsedTransaction, int | None]] = []
    for row, (_, cells) in enumerate(records[1:], start=2):
        if len(cells) > len(header):
            errors.append(RowError(row, "", TOO_MANY_CELLS))
            continue
        posted = date_parse(cell(cells, "date"))
        if posted is None:
            errors.append(
                RowError(
                    row,
                    heading["date"],
                    DATE_INVALID.format(value=cell(cells, "date") or "A blank"),
                )
            )
        description = cell(cells, "description")
        if not description:
            errors.append(RowError(row, heading["description"], DESCRIPTION_MISSING))
        amount: int | None = None
        if columns["amount"] is not None:
            amount = pence_parse(cell(cells, "amount"))
            if amount is None:
                errors.append(
                    RowError(
                        row,
                        heading["amount"],
                        AMOUNT_INVALID.format(value=cell(cells, "amount") or "A blank"),
                    )
                )
        else:
            out_text, in_text = cell(cells, "paid_out"), cell(cells, "paid_in")
            if out_text and in_text:
                errors.append(RowError(row, heading["paid_out"], BOTH_AMOUNTS))
            elif not out_text and not in_text:
                errors.append(RowError(row, heading["paid_out"] or heading["paid_in"], NO_AMOUNT))
            else:
                part = "paid_out" if out_text else "paid_in"
                parsed = pence_parse(out_text or in_text)
                if parsed is None:
                    errors.append(
                        RowError(
                            row, heading[part], AMOUNT_INVALID.format(value=out_text or in_text)
                        )
                    )
                else:
                    amount = -abs(parsed) if part == "paid_out" else abs(parsed)
        balance: int | None = None
        if columns["balance"] is not None and cell(cells, "balance"):
            balance = pence_parse(cell(cells, "balance"))
            if balance is None:
                errors.append(
                    RowError(
                        row, heading["balance"], AMOUNT_INVALID.format(value=cell(cells, "balance"))
                    )
                )
        if posted is not None and amount is not None and description:
            rows.append((ParsedTransaction(posted, amount, description[:300]), balance))
    if errors:
        raise StatementRefused(errors)
    if not rows:
        raise StatementRefused([RowError(0, "", NO_ROWS)])
    # The balance at the end: the newest row's (files list newest first or oldest first).
    newest_first = rows[0][0].posted_on > rows[-1][0].posted_on
    last_transaction, last_balance = rows[0] if newest_first else rows[-1]
    return ParsedStatement(
        kind="csv",
        layout=layout,
        transactions=[t for t, _ in rows],
        balance_pence=last_balance,
        balance_on=last_transaction.posted_on if last_balance is not None else None,
    )


def _ofx_date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def ofx_parse(data: bytes, name: str) -> ParsedStatement:
    """An OFX statement (version 1 SGML or version 2 XML): each STMTTRN's DTPOSTED, TRNAMT,
    NAME (or PAYEE) and MEMO, FITID, and the LEDGERBAL, through ofxtools."""
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
        statements = list(ofx.statements)
    except Exception as bad:  # ofxtools raises many kinds; all mean "cannot read"
        problem = str(bad).splitlines()[0][:200] if str(bad) else type(bad).__name__
        raise StatementRefused(
            [RowError(0, "", OFX_UNREADABLE.format(name=name, problem=problem))]
        ) from bad
    if not statements:
        raise StatementRefused([RowError(0, "", OFX_NO_STATEMENT.format(name=name))])
    statement = statements[0]
    currency = str(getattr(statement, "curdef", "GBP") or "GBP")
    if currency != "GBP":
        raise StatementRefused(
            [RowError(0, "CURDEF", OFX_NOT_POUNDS.format(name=name, currency=currency))]
        )
    transactions: list[ParsedTransaction] = []
    errors: list[RowError] = []
    for number, item in enumerate(statement.banktranlist or [], start=1):
        payee = getattr(item, "payee", None)
        name_text = item.name or (payee.name if payee is not None else "") or ""
        description = " ".join(p for p in (name_text, item.memo or "") if p).strip()
        if not description:
            errors.append(RowError(number, "NAME", DESCRIPTION_MISSING))
            continue
        transactions.append(
            ParsedTransaction(
                posted_on=_ofx_date(item.dtposted),
                amount_pence=int(Decimal(item.trnamt) * 100),
                description=description[:300],
                fitid=str(item.fitid or "")[:100],
            )
        )
    if errors:
        raise StatementRefused(errors)
    if not transactions:
        raise StatementRefused([RowError(0, "BANKTRANLIST", NO_ROWS)])
    ledger = getattr(statement, "ledgerbal", None)
    return ParsedStatement(
        kind="ofx",
        layout="ofx",
        transactions=transactions,
        balance_pence=int(Decimal(ledger.balamt) * 100) if ledger is not None else None,
        balance_on=_ofx_date(ledger.dtasof) if ledger is not None else None,
    )


def statement_parse(
    data: bytes, name: str, mapping: ColumnMapping | None = None
) -> ParsedStatement:
    lowered = name.lower()
    if lowered.endswith((".ofx", ".qfx")):
        return ofx_parse(data, name)
    if lowered.endswith(".csv"):
        return csv_parse(data, name, mapping)
    raise StatementRefused([RowError(0, "", WRONG_TYPE)])


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", text.upper()).split())


def dedupe_keys(transactions: list[ParsedTransaction]) -> list[str]:
    """Each transaction's key against importing it twice: its FITID, else its date, amount
    and description; a second identical transaction in one file gets "#2", and so on, so
    two real £5 payments to one shop on one day are both kept."""
    seen: Counter[str] = Counter()
    keys = []
    for t in transactions:
        base = (
            f"fitid:{t.fitid}"
            if t.fitid
            else f"{t.posted_on.isoformat()}|{t.amount_pence}|{normalised(t.description)}"
        )
        seen[base] += 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return [k[:400] for k in keys]
