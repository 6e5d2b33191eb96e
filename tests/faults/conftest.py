from tests.durability.conftest import pg_url  # noqa: F401  (a throwaway PostgreSQL database)
