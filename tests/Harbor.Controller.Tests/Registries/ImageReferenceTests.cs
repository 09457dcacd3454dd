using Harbor.Controller.Registries;

namespace Harbor.Controller.Tests.Registries;

/// <summary>The distribution reference grammar's documented cases, normalized the way the Docker CLI does.</summary>
public sealed class ImageReferenceTests
{
    private const string Sha256F = "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    public static TheoryData<string, string, string, string?, string?> Valid => new()
    {
        // input, registry, repository, tag, digest
        { "nginx", "docker.io", "library/nginx", null, null },
        { "nginx:1.27", "docker.io", "library/nginx", "1.27", null },
        { "library/nginx", "docker.io", "library/nginx", null, null },
        { "docker.io/nginx", "docker.io", "library/nginx", null, null },
        { "index.docker.io/nginx:latest", "docker.io", "library/nginx", "latest", null },
        { "docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", null },
        { "user/app", "docker.io", "user/app", null, null },
        { "test_com", "docker.io", "library/test_com", null, null },
        { "test.com:tag", "docker.io", "library/test.com", "tag", null },
        { "test.com:5000", "docker.io", "library/test.com", "5000", null },
        { "foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null },
        { "foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null },
        { "test.com/repo:tag", "test.com", "repo", "tag", null },
        { "test:5000/repo", "test:5000", "repo", null, null },
        { "test:5000/repo:tag", "test:5000", "repo", "tag", null },
        { "test:5000/repo@" + Sha256F, "test:5000", "repo", null, Sha256F },
        { "test:5000/repo:tag@" + Sha256F, "test:5000", "repo", "tag", Sha256F },
        { "localhost/app", "localhost", "app", null, null },
        { "localhost:5000/team/app:v2", "localhost:5000", "team/app", "v2", null },
        { "127.0.0.1:5000/app", "127.0.0.1:5000", "app", null, null },
        { "[::1]:5000/app:1", "[::1]:5000", "app", "1", null },
        { "sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux", "some-long-tag", null },
        { "b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app", "test.example.com", null },
        { "xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null },
        { "ghcr.io/owner/app:1.2.3", "ghcr.io", "owner/app", "1.2.3", null },
        { "Example.com/app", "Example.com", "app", null, null },
        { "a__b/c--d/e.f:TAG_5", "docker.io", "a__b/c--d/e.f", "TAG_5", null },
        { "nginx@" + Sha256F, "docker.io", "library/nginx", null, Sha256F },
        // The 255-character limit counts the registry but not the tag.
        { "example.com/" + string.Concat(Enumerable.Repeat("a/", 121)) + "a:tag-puts-this-over-max", "example.com", string.Concat(Enumerable.Repeat("a/", 121)) + "a", "tag-puts-this-over-max", null },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidReference_SplitsRegistryRepositoryTagAndDigest(string input, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);

        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
        Assert.Equal(reference, ImageReference.Parse(reference.FamiliarName));
    }

    public static TheoryData<string, string> Invalid => new()
    {
        // input, a part of the reason the user sees
        { "", "at least one component" },
        { ":justtag", "invalid reference format" },
        { "@" + Sha256F, "invalid reference format" },
        { "validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "unsupported digest algorithm" },
        { "aa/asdf$$^/aa", "invalid reference format" },
        { "xn--7o8h.com/myimage:xn--7o8h.com@sha512:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "digest length" },
        { "nginx@sha256:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", "lower-case" },
        { "Nginx", "must be lowercase" },
        { "docker.io/Library/nginx", "must be lowercase" },
        { "ghcr.io/Owner/app:1", "must be lowercase" },
        { "UPPERCASEISINVALID", "must be lowercase" },
        { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "image id" },
        { string.Concat(Enumerable.Repeat("a/", 128)) + "a:tag", "255 characters" },
        { "example.com/" + string.Concat(Enumerable.Repeat("a/", 121)) + "ab", "255 characters" },
        { "nginx:" + new string('t', 129), "invalid reference format" },
        { "nginx:-tag", "invalid reference format" },
        { "nginx:tag\n", "invalid reference format" },
        { "nginx ", "invalid reference format" },
        { "docker://nginx", "invalid reference format" },
        { "repo//name", "invalid reference format" },
        { "repo/name/", "invalid reference format" },
        { "-repo/name", "invalid reference format" },
        { "repo/na..me", "invalid reference format" },
        { "localhost:port/app", "invalid reference format" },
        { "ab@sha256:fff", "invalid reference format" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_InvalidReference_ThrowsWithTheReason(string input, string reason)
    {
        var error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse(input));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(ImageReference.TryParse(input, out _, out var tryReason));
        Assert.Equal(error.Reason, tryReason);
    }

    [Theory]
    [InlineData("nginx", "nginx")]
    [InlineData("docker.io/library/nginx:1", "nginx:1")]
    [InlineData("docker.io/library/team/app", "library/team/app")]
    [InlineData("docker.io/user/app:2", "user/app:2")]
    [InlineData("ghcr.io/o/app:1", "ghcr.io/o/app:1")]
    public void FamiliarName_IsWhatTheDockerCliShows(string input, string familiar) =>
        Assert.Equal(familiar, ImageReference.Parse(input).FamiliarName);

    [Fact]
    public void ApiHost_DockerHub_IsRegistryOne() =>
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("nginx").ApiHost);

    /// <summary>
    /// Property: for any input, Parse either returns a reference that round-trips through its
    /// string form, or throws InvalidImageReferenceException — never anything else.
    /// </summary>
    [Fact]
    public void Parse_RandomInputs_ReturnsOrThrowsOnlyTheDocumentedError()
    {
        var random = new Random(20260101);
        const string alphabet = "abcxyzABZ0129._-/:@[]$ \n\té€+sha256:";
        var seeds = new[] { "nginx", "localhost:5000/a/b:c", "ghcr.io/o/app:1@" + Sha256F, "[::1]:80/x", "a__b/c--d" };
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var input = i % 2 == 0 ? RandomString(random, alphabet) : Mutate(random, seeds[random.Next(seeds.Length)], alphabet);
            try
            {
                var reference = ImageReference.Parse(input);
                parsed++;
                Assert.Equal(reference, ImageReference.Parse(reference.ToString()));
                Assert.DoesNotContain(reference.Repository, char.IsUpper);
            }
            catch (InvalidImageReferenceException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Reason), $"no reason for '{input}'");
            }
        }

        Assert.InRange(parsed, 100, 19_900);
    }

    private static string RandomString(Random random, string alphabet)
    {
        var length = random.Next(0, 40);
        return string.Create(length, (random, alphabet), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
            }
        });
    }

    private static string Mutate(Random random, string seed, string alphabet)
    {
        var chars = seed.ToList();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                case 1 when at < chars.Count: chars.RemoveAt(at); break;
                default: if (at < chars.Count) { chars[at] = alphabet[random.Next(alphabet.Length)]; } break;
            }
        }

        return new string([.. chars]);
    }
}
