using System.Collections;

namespace Harbor.Agent.Updates;

/// <summary>Logging scope of one job: every log event written while it runs carries <c>JobId</c> as a structured field.</summary>
internal sealed class JobScope(string jobId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("JobId", jobId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"Job {jobId}";
}
