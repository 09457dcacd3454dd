using System.Collections.Concurrent;
using System.Text.Json;
using Harbor.Agent.Connection;
using Harbor.Agent.Diagnostics;
using Harbor.Agent.Updates;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Journal;

/// <summary>
/// The agent's crash-safe record of update jobs: one JSON file per job in <c>&lt;state&gt;/journal</c>.
/// Every save writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
/// directory, so after any crash the file is either the previous record or the new one, never half.
/// </summary>
internal sealed class JobJournal
{
    public const string DirectoryName = "journal";

    private readonly ConcurrentDictionary<string, JobRecord> records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> writeGates = new(StringComparer.Ordinal);
    private readonly int retention;
    private readonly ILogger<JobJournal> logger;

    public JobJournal(AgentIdentity identity, IOptions<UpdateOptions> options, ILogger<JobJournal> logger)
        : this(Path.Combine(identity.StateDirectory, DirectoryName), options.Value.JournalRetention, logger)
    {
    }

    internal JobJournal(string directory, int retention, ILogger<JobJournal> logger)
    {
        Directory = directory;
        this.retention = retention;
        this.logger = logger;
        System.IO.Directory.CreateDirectory(directory);
        Load();
    }

    public string Directory { get; }

    public JobRecord? Find(string jobId) => records.GetValueOrDefault(jobId);

    /// <summary>Jobs that were started and not finished: the work of start-up recovery.</summary>
    public IReadOnlyList<JobRecord> Unfinished => [.. records.Values.Where(r => !r.IsFinished).OrderBy(r => r.AcceptedAt)];

    /// <summary>Finished jobs whose result the controller has not confirmed yet, oldest first.</summary>
    public IReadOnlyList<JobRecord> Unacknowledged => [.. records.Values.Where(r => r.IsFinished && !r.Acknowledged).OrderBy(r => r.FinishedAt)];

    /// <summary>Finished jobs, oldest first (for image generations).</summary>
    public IReadOnlyList<JobRecord> Finished => [.. records.Values.Where(r => r.IsFinished).OrderBy(r => r.FinishedAt)];

    /// <summary>Adds a new job; false when the journal already has this job id.</summary>
    public async Task<bool> TryAddAsync(JobRecord record, CancellationToken cancellationToken)
    {
        if (!records.TryAdd(record.JobId, record))
        {
            return false;
        }

        await SaveAsync(record, cancellationToken);
        return true;
    }

    /// <summary>Writes the record durably. Returns once it is on disk.</summary>
    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        byte[] bytes;
        lock (record)
        {
            bytes = JsonSerializer.SerializeToUtf8Bytes(record, JournalJsonContext.Default.JobRecord);
        }

        var gate = writeGates.GetOrAdd(record.JobId, _ => new SemaphoreSlim(1, 1));
        // Not cancellable once started: a half-done save is exactly what the journal must never leave.
        await gate.WaitAsync(cancellationToken);
        try
        {
            var path = PathOf(record.JobId);
            var temporary = path + ".tmp";
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                await stream.WriteAsync(bytes, CancellationToken.None);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            DirectorySync.Flush(Directory);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task AcknowledgeAsync(string jobId, CancellationToken cancellationToken)
    {
        if (records.TryGetValue(jobId, out var record) && record.IsFinished && !record.Acknowledged)
        {
            record.Acknowledged = true;
            await SaveAsync(record, cancellationToken);
            Prune();
        }
    }

    /// <summary>Forgets the oldest acknowledged jobs beyond the retention count.</summary>
    public void Prune()
    {
        var done = records.Values.Where(r => r.IsFinished && r.Acknowledged).OrderBy(r => r.FinishedAt).ToList();
        foreach (var record in done.Take(Math.Max(0, done.Count - retention)))
        {
            var gate = writeGates.GetOrAdd(record.JobId, _ => new SemaphoreSlim(1, 1));
            if (!gate.Wait(0))
            {
                continue;
            }

            try
            {
                File.Delete(PathOf(record.JobId));
                records.TryRemove(record.JobId, out _);
            }
            finally
            {
                gate.Release();
                writeGates.TryRemove(record.JobId, out _);
            }
        }
    }

    private void Load()
    {
        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, "*.json.tmp"))
        {
            // A save that crashed before its rename: the previous record (if any) is still intact.
            File.Delete(leftover);
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(path), JournalJsonContext.Default.JobRecord);
                if (record is not null && PathOf(record.JobId) == path)
                {
                    records[record.JobId] = record;
                    continue;
                }
            }
            catch (JsonException e)
            {
                Log.JournalEntryUnreadable(logger, path, e.Message);
            }

            // Unreadable: keep it for a human, out of the way of the journal.
            File.Move(path, path + ".unreadable", overwrite: true);
        }

        Log.JournalLoaded(logger, Directory, records.Count, records.Values.Count(r => !r.IsFinished));
    }

    private string PathOf(string jobId) => Path.Combine(Directory, jobId + ".json");
}
