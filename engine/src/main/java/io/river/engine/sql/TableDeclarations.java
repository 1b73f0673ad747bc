package io.river.engine.sql;

import io.river.engine.model.Column;
import io.river.engine.model.ColumnType;
import io.river.engine.model.Names;
import io.river.engine.model.SchemaException;
import io.river.engine.model.SystemColumns;
import io.river.engine.model.TableConstraints;
import io.river.engine.model.TableDefinition;
import io.river.engine.model.TableRetention;
import io.river.engine.query.QueryException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;

/**
 * Turns a parsed {@code CREATE TABLE} into a {@link TableDefinition}, in three steps: (1) each
 * column definition gives a name, a type ({@link SqlColumnTypes}) and its constraints (NOT NULL,
 * NULL, PRIMARY KEY; anything else is unsupported), (2) a table-level {@code PRIMARY KEY (col)}
 * (one column) names the key column, (3) the key column is NOT NULL and makes the table UPSERT, (4)
 * {@code WITH (retention = ..., retention_column = ...)} ({@link TableOptions}) gives its retention.
 * Names must be valid River names and may not be system columns. Stateless.
 */
final class TableDeclarations {
    private TableDeclarations() {}

    static TableDefinition definition(CreateTable ct) {
        String table = SqlNames.unquote(ct.getTable().getName());
        if (!Names.isValid(table)) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "invalid table name '" + table + "': must match [A-Za-z_][A-Za-z0-9_]{0,127}");
        }
        if (ct.getColumnDefinitions() == null || ct.getColumnDefinitions().isEmpty()) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "CREATE TABLE needs a column list " + "(CREATE TABLE ... AS SELECT is not supported)");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> notNull = new LinkedHashSet<>();
        String key = null;
        for (ColumnDefinition cd : ct.getColumnDefinitions()) {
            Column c = column(cd, columns);
            columns.add(c);
            List<String> specs = specs(cd);
            for (int i = 0; i < specs.size(); i++) {
                String s = specs.get(i);
                if (s.equals("NOT") && i + 1 < specs.size() && specs.get(i + 1).equals("NULL")) {
                    notNull.add(c.name());
                    i++;
                } else if (s.equals("PRIMARY")
                        && i + 1 < specs.size()
                        && specs.get(i + 1).equals("KEY")) {
                    key = onlyKey(key, c.name());
                    i++;
                } else if (!s.equals("NULL")) {
                    throw new QueryException(
                            QueryException.UNSUPPORTED,
                            "column '" + c.name() + "': constraint " + String.join(" ", specs)
                                    + " is not supported (NOT NULL and PRIMARY KEY are)");
                }
            }
        }
        key = tableKey(ct, columns, key);
        if (key != null) {
            notNull.add(key);
            ColumnType kt = find(columns, key).type();
            if (kt == ColumnType.BYTES || kt == ColumnType.FLOAT64) {
                throw new QueryException(
                        QueryException.UNSUPPORTED,
                        "primary key column '" + key + "' is " + SqlColumnTypes.name(kt)
                                + "; River keys by text, integers, booleans, dates or timestamps");
            }
        }
        TableRetention retention = retention(ct);
        try {
            return new TableDefinition(table, columns, new TableConstraints(key, new ArrayList<>(notNull)), retention);
        } catch (SchemaException e) {
            throw new QueryException(QueryException.INVALID_QUERY, e.getMessage());
        }
    }

    /** The retention of {@code WITH (retention = ..., retention_column = ...)}; any other table option is refused. */
    private static TableRetention retention(CreateTable ct) {
        List<String> options = ct.getTableOptionsStrings();
        if (options == null || options.isEmpty()) {
            return TableRetention.NONE;
        }
        String text = String.join(" ", options).trim();
        if (!text.regionMatches(true, 0, "WITH", 0, 4)
                || !text.substring(4).trim().startsWith("(")) {
            throw new QueryException(
                    QueryException.UNSUPPORTED,
                    "table options are not supported: " + text + " (WITH (retention = '7 days') is)");
        }
        return TableOptions.set(text.substring(4), TableRetention.NONE);
    }

    private static Column column(ColumnDefinition cd, List<Column> before) {
        String name = SqlNames.unquote(cd.getColumnName());
        if (!Names.isValid(name)) {
            throw new QueryException(
                    QueryException.INVALID_QUERY,
                    "invalid column name '" + name + "': must match [A-Za-z_][A-Za-z0-9_]{0,127}");
        }
        if (SystemColumns.isSystem(name)) {
            throw new QueryException(
                    QueryException.INVALID_QUERY, "column '" + name + "' is a system column " + "(every table has it)");
        }
        if (find(before, name) != null) {
            throw new QueryException(QueryException.INVALID_QUERY, "column '" + name + "' is declared twice");
        }
        return new Column(name, SqlColumnTypes.parse(cd.getColDataType().getDataType(), name));
    }

    private static List<String> specs(ColumnDefinition cd) {
        List<String> out = new ArrayList<>();
        if (cd.getColumnSpecs() != null) {
            for (String s : cd.getColumnSpecs()) {
                out.add(s.toUpperCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String tableKey(CreateTable ct, List<Column> columns, String columnKey) {
        String key = columnKey;
        if (ct.getIndexes() != null) {
            for (Index ix : ct.getIndexes()) {
                if (!"PRIMARY KEY".equalsIgnoreCase(ix.getType())) {
                    throw new QueryException(
                            QueryException.UNSUPPORTED, ix.getType() + " is not supported " + "(PRIMARY KEY is)");
                }
                if (ix.getColumnsNames().size() != 1) {
                    throw new QueryException(
                            QueryException.UNSUPPORTED,
                            "a PRIMARY KEY of " + ix.getColumnsNames().size()
                                    + " columns is not supported (one column)");
                }
                String name = SqlNames.unquote(ix.getColumnsNames().get(0));
                if (find(columns, name) == null) {
                    throw new QueryException(
                            QueryException.UNKNOWN_COLUMN,
                            "PRIMARY KEY names column '" + name + "', which is not declared");
                }
                key = onlyKey(key, name);
            }
        }
        return key;
    }

    private static String onlyKey(String before, String name) {
        if (before != null) {
            throw new QueryException(
                    QueryException.INVALID_QUERY, "more than one PRIMARY KEY ('" + before + "' and '" + name + "')");
        }
        return name;
    }

    private static Column find(List<Column> columns, String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
