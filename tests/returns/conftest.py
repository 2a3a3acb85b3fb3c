"""The hand-built CLD caseload of test_cld_export, for the page tests too."""

from tests.returns.test_cld_export import caseload  # noqa: F401
