namespace Harbor.Testing;

/// <summary>Polls until a condition holds: the observable behaviour, within a deadline a user would accept.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        T last;
        while (true)
        {
            last = await probe();
            if (until(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {within.TotalSeconds:0.#} s: {what}. Last value: {Describe(last)}");
            }

            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan within, string what) =>
        GetAsync(probe, ok => ok, within, what);

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>().Take(10)) + "]",
        _ => value.ToString() ?? "",
    };
}
