using Dialtone.Daemon.Storage;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public void Migrations_are_numbered_and_applied_once()
    {
        using var dir = new TempDirectory();
        var migrations = MigrationRunner.Embedded();

        int first, second;
        using (var database = SqliteDatabase.Open(dir.File("d.db")))
            first = database.SchemaVersion;
        using (var database = SqliteDatabase.Open(dir.File("d.db")))
        {
            second = database.SchemaVersion;
            var applied = database.Read(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM schema_migrations;";
                return Convert.ToInt32(command.ExecuteScalar());
            });
            Assert.Equal(migrations.Count, applied);
        }

        Assert.Equal(migrations[^1].Version, first);
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
    }

    [Fact]
    public void The_database_runs_in_wal_mode()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));

        var mode = database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return (string)command.ExecuteScalar()!;
        });

        Assert.Equal("wal", mode);
    }

    [Theory]
    [InlineData("AUTOINCREMENT")]
    [InlineData("WITHOUT ROWID")]
    [InlineData("STRICT")]
    [InlineData("PRAGMA")]
    [InlineData("DATETIME")]
    [InlineData("INSERT OR")]
    [InlineData("REPLACE INTO")]
    [InlineData("GLOB")]
    public void The_schema_stays_portable_to_PostgreSQL(string sqliteOnly)
    {
        foreach (var (_, name, sql) in MigrationRunner.Embedded())
            Assert.DoesNotContain(sqliteOnly, sql.ToUpperInvariant().Replace("--", "\n--"), StringComparison.Ordinal);
    }
}
