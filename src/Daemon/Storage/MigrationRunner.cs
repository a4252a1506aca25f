using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// Applies the numbered SQL files embedded from Storage/Migrations (<c>NNN-name.sql</c>) in order,
/// each once, each in its own transaction, recording them in <c>schema_migrations</c>.
/// </summary>
internal static class MigrationRunner
{
    private const string ResourcePrefix = "Migrations/";

    /// <summary>The embedded migrations, ordered by number.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Embedded()
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var name = resource[ResourcePrefix.Length..];
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"migration '{name}' is not named NNN-name.sql");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add((version, name, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Item1 == list[i - 1].Item1)
                throw new InvalidOperationException($"two migrations are numbered {list[i].Item1}");
        }
        return list;
    }

    /// <summary>Brings the schema up to date; returns its version.</summary>
    public static int Apply(SqliteConnection connection)
    {
        SqliteDatabase.Execute(connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at_ms BIGINT NOT NULL);");
        var current = CurrentVersion(connection);
        foreach (var (version, name, sql) in Embedded())
        {
            if (version <= current)
                continue;
            using var transaction = connection.BeginTransaction(deferred: false);
            SqliteDatabase.Execute(connection, sql, transaction);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($v, $n, $t);";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            current = version;
        }
        return current;
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
