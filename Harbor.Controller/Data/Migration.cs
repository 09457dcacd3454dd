namespace Harbor.Controller.Data;

/// <summary>One forward-only schema step, from an embedded <c>Data/Migrations/NNNN_name.sql</c>.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
