// Storage: the broker's persistence, modelled on dex's `storage/` package.
//
// The domain sees only protocols — one per aggregate (`OfficerStore`, `DeviceStore`, …) composed
// into `Store` — implemented once as extensions over the generic `RecordStore` core. A backend
// implements only that core; the SQL behind it is written once (`SQL/`) with a small `SQLDialect`
// for the differences between SQLite (`SQLite/`) and PostgreSQL.
