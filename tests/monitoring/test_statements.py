"""Reading statements: the named CSV layouts, named columns, OFX, and every problem named by
row and column with nothing read."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfdirect.monitoring import statements as s

OFX = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260402120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>GBP<BANKACCTFROM><BANKID>309430<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260301<DTEND>20260331
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260302<TRNAMT>1200.00<FITID>A1<NAME>COUNCIL DP</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260305<TRNAMT>-150.50<FITID>A2<NAME>SAM JONES<MEMO>wages</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>1049.50<DTASOF>20260331</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def _errors(
    data: bytes, name: str = "s.csv", mapping: s.ColumnMapping | None = None
) -> list[s.RowError]:
    with pytest.raises(s.StatementRefused) as refused:
        s.statement_parse(data, name, mapping)
    return refused.value.errors


def test_date_description_amount_with_a_balance() -> None:
    got = s.statement_parse(
        b"Date,Description,Amount,Balance\n02/03/2026,COUNCIL DP,1200.00,1200.00\n"
        b"05/03/2026,SAM JONES,-150.50,1049.50\n",
        "s.csv",
    )
    assert got.layout == "amount"
    assert [(t.posted_on, t.amount_pence, t.description) for t in got.transactions] == [
        (dt.date(2026, 3, 2), 120_000, "COUNCIL DP"),
        (dt.date(2026, 3, 5), -15_050, "SAM JONES"),
    ]
    assert (got.balance_pence, got.balance_on) == (104_950, dt.date(2026, 3, 5))
    assert got.period == (dt.date(2026, 3, 2), dt.date(2026, 3, 5))


def test_paid_out_paid_in_newest_first_takes_the_newest_balance() -> None:
    got = s.statement_parse(
        b"Date,Details,Money out,Money in,Balance\n"
        b'2026-03-05,SAM JONES,"1,150.50",,49.50\n2026-03-02,COUNCIL DP,,1200.00,1200.00\n',
        "bank.csv",
    )
    assert got.layout == "paid_out_in"
    assert [t.amount_pence for t in got.transactions] == [-115_050, 120_000]
    assert (got.balance_pence, got.balance_on) == (4_950, dt.date(2026, 3, 5))


def test_named_columns_for_any_other_layout() -> None:
    data = b"Posted,Who,Value GBP,Notes\n31/03/2026,A1 TAXIS,-12.5,x\n"
    mapping = s.ColumnMapping(date="Posted", description="who", amount="Value GBP")
    got = s.statement_parse(data, "card.csv", mapping)
    assert got.layout == "columns" and got.transactions[0].amount_pence == -1_250
    assert got.balance_pence is None
    assert _errors(
        data, mapping=s.ColumnMapping(date="When", description="Who", amount="Value GBP")
    ) == [s.RowError(1, "When", "There is no column called When")]
    # Unrecognised headings without a mapping: the page says how to fix it.
    assert _errors(data) == [s.RowError(1, "", s.NO_HEADER_MATCH)]


def test_every_bad_row_is_named_and_nothing_is_read() -> None:
    errors = _errors(
        b"Date,Description,Paid out,Paid in\n31/02/2026,SHOP,1.00,\n01/03/2026,,2.00,\n"
        b"02/03/2026,SHOP,abc,\n03/03/2026,SHOP,1.00,2.00\n04/03/2026,SHOP,,\n"
    )
    assert errors == [
        s.RowError(2, "Date", "31/02/2026 is not a date: write it like 31/03/2026 or 2026-03-31"),
        s.RowError(3, "Description", s.DESCRIPTION_MISSING),
        s.RowError(
            4, "Paid out", "abc is not an amount in pounds and pence, such as 12.50 or -12.50"
        ),
        s.RowError(5, "Paid out", s.BOTH_AMOUNTS),
        s.RowError(6, "Paid out", s.NO_AMOUNT),
    ]


def test_amounts_in_pounds_and_pence_only() -> None:
    assert s.pence_parse("£1,234.5") == 123_450
    assert s.pence_parse("(12.50)") == -1_250
    assert s.pence_parse("12.50DR") == -1_250
    assert s.pence_parse("1.005") is None  # no fractions of a penny
    assert s.pence_parse("1e3") is None


def test_files_that_are_not_text_or_not_statements_are_refused() -> None:
    assert "is not UTF-8" in _errors(b"Date,Description,Amount\n\xff\xfe,1,2\n")[0].message
    assert _errors(b"whatever", "s.pdf") == [s.RowError(0, "", s.WRONG_TYPE)]
    assert _errors(b"Date,Description,Amount\n") == [s.RowError(0, "", s.NO_ROWS)]


def test_ofx_transactions_fitid_and_ledger_balance() -> None:
    got = s.statement_parse(OFX, "bank.ofx")
    assert got.kind == "ofx"
    assert [(t.posted_on, t.amount_pence, t.description, t.fitid) for t in got.transactions] == [
        (dt.date(2026, 3, 2), 120_000, "COUNCIL DP", "A1"),
        (dt.date(2026, 3, 5), -15_050, "SAM JONES wages", "A2"),
    ]
    assert (got.balance_pence, got.balance_on) == (104_950, dt.date(2026, 3, 31))


def test_ofx_that_cannot_be_read_or_is_not_in_pounds() -> None:
    assert _errors(b"not ofx at all", "bank.ofx")[0].message.startswith(
        "bank.ofx is not an OFX statement that can be read"
    )
    dollars = OFX.replace(b"<CURDEF>GBP", b"<CURDEF>USD")
    assert _errors(dollars, "bank.ofx") == [
        s.RowError(0, "CURDEF", "bank.ofx is in USD: statements must be in pounds (GBP)")
    ]


def test_duplicate_keys_fitid_else_date_amount_description_counted_in_a_file() -> None:
    shop = s.ParsedTransaction(dt.date(2026, 3, 2), -500, "Corner  shop")
    keys = s.dedupe_keys([shop, shop, s.ParsedTransaction(dt.date(2026, 3, 2), -500, "X", "F1")])
    assert keys == ["2026-03-02|-500|CORNER SHOP", "2026-03-02|-500|CORNER SHOP#2", "fitid:F1"]


def test_a_prepaid_card_statement_in_ofx() -> None:
    card = (
        OFX.replace(b"<BANKMSGSRSV1><STMTTRNRS>", b"<CREDITCARDMSGSRSV1><CCSTMTTRNRS>")
        .replace(b"</STMTTRNRS></BANKMSGSRSV1>", b"</CCSTMTTRNRS></CREDITCARDMSGSRSV1>")
        .replace(b"<STMTRS>", b"<CCSTMTRS>")
        .replace(b"</STMTRS>", b"</CCSTMTRS>")
        .replace(
            b"<BANKACCTFROM><BANKID>309430<ACCTID>12345678<ACCTTYPE>CHECKING</BANKACCTFROM>",
            b"<CCACCTFROM><ACCTID>5555444433331111</CCACCTFROM>",
        )
    )
    got = s.statement_parse(card, "card.qfx")
    assert [t.fitid for t in got.transactions] == ["A1", "A2"]
    assert got.balance_pence == 104_950


def test_bad_files_are_named_errors() -> None:
    from selfdirect.file_checks import MAX_CELL_CHARS

    header = b"Date,Description,Amount\n"
    assert "is not UTF-8" in _errors(header + "01/03/2026,Café,-1.00\n".encode("cp1252"))[0].message
    assert "holds a NUL character" in _errors(header + b"01/03/2026,A\x00B,-1.00\n")[0].message
    huge = header + b"01/03/2026," + b"x" * (MAX_CELL_CHARS + 1) + b",-1.00\n"
    assert "a cell is longer than" in _errors(huge)[0].message
    assert _errors(header + b"01/03/2026,SHOP,-1.00,extra\n") == [
        s.RowError(2, "", s.TOO_MANY_CELLS)
    ]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400), name=st.sampled_from(["s.csv", "s.ofx", "s.qfx"]))
def test_any_bytes_are_read_or_refused_by_name(data: bytes, name: str) -> None:
    try:
        got = s.statement_parse(data, name)
    except s.StatementRefused as refused:
        assert refused.errors and all(e.message for e in refused.errors)
    else:
        assert got.transactions


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["01/03/2026", "2026-03-31", "31/02/2026", "", "x"]),
            st.text(alphabet='AB £,.-()0123456789"', max_size=12),
            st.text(alphabet="0123456789.-,£()DRC", max_size=10),
        ),
        max_size=6,
    )
)
def test_any_csv_rows_are_read_or_refused_with_rows_named(rows: list[tuple[str, str, str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Description", "Amount"])
    writer.writerows(rows)
    try:
        got = s.statement_parse(out.getvalue().encode(), "s.csv")
    except s.StatementRefused as refused:
        assert all(0 <= e.row <= len(rows) + 1 for e in refused.errors)
    else:
        assert len(got.transactions) == len(rows)
