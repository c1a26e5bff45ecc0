"""The TĐKT records database (issue 16): award decisions and their recipients, imported from
Excel/CSV, looked up by name, linked to their legal basis and counted on the forms of Thông tư
02/2023/TT-BNV. Modules: models (tables), db (engine, migrations, audit), importing, exporting,
lookup, reports, demo."""
