/* placeholder */
#include "connectors/pg/sd_pg.h"
const sd_dialect sd_pg_dialect = {
	.name = "postgres",
	.quote_ident = sd_pg_quote_ident,
};
