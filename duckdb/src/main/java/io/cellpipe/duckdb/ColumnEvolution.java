package io.cellpipe.duckdb;

import io.cellpipe.core.model.ColumnType;
import java.util.List;

/** What a column's new source type means for the warehouse column that already exists. */
enum ColumnEvolution {
    /** The warehouse column has exactly the type the new source type maps to. */
    SAME,
    /** The new type's values fit in the warehouse column as it is (a narrowing at the source). */
    KEEP,
    /** The warehouse column's values fit in the new type: widen the column. */
    WIDEN,
    /** Neither fits in the other. */
    INCOMPATIBLE;

    static ColumnEvolution of(String storedSqlType, ColumnType arriving) {
        if (DuckDbTypes.sqlType(arriving).equals(storedSqlType)) {
            return SAME;
        }
        List<ColumnType> stored = DuckDbTypes.storedKinds(storedSqlType);
        if (stored.stream().anyMatch(type -> type.fitsIn(arriving))) {
            return WIDEN;
        }
        if (stored.stream().anyMatch(arriving::fitsIn)) {
            return KEEP;
        }
        return INCOMPATIBLE;
    }
}
