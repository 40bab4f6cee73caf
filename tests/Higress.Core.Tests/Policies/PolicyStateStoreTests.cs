using Higress.Core.Policies;

namespace Higress.Core.Tests.Policies;

public sealed class PolicyStateStoreTests
{
    private sealed record Config(int Value);

    private sealed class Piece(int value) : IDisposable
    {
        public int Value { get; } = value;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private static Piece Apply(PolicyStateStore store, string owner, int value, bool commit = true)
    {
        using var scope = store.BeginApply();
        var piece = scope.GetOrCreate(owner, new Config(value), c => new Piece(c.Value));
        if (commit)
        {
            scope.Commit();
        }

        return piece;
    }

    [Fact]
    public void An_equal_configuration_reuses_the_piece_and_a_changed_one_replaces_and_releases_it()
    {
        var store = new PolicyStateStore();
        var first = Apply(store, "cluster:a", 1);
        Assert.Same(first, Apply(store, "cluster:a", 1));

        var second = Apply(store, "cluster:a", 2);
        Assert.NotSame(first, second);
        Assert.True(first.Disposed);
        Assert.False(second.Disposed);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void A_piece_no_plan_asks_for_is_released_on_commit()
    {
        var store = new PolicyStateStore();
        var a = Apply(store, "cluster:a", 1);
        var b = Apply(store, "cluster:b", 1);
        Assert.True(a.Disposed);
        Assert.False(b.Disposed);
    }

    [Fact]
    public void An_apply_that_is_not_committed_keeps_the_held_pieces_and_releases_its_own()
    {
        var store = new PolicyStateStore();
        var held = Apply(store, "cluster:a", 1);
        var abandoned = Apply(store, "cluster:a", 2, commit: false);
        Assert.False(held.Disposed);
        Assert.True(abandoned.Disposed);
        Assert.Same(held, Apply(store, "cluster:a", 1));
    }

    [Fact]
    public void Pieces_asked_for_while_creating_another_are_kept_with_it()
    {
        var store = new PolicyStateStore();
        Piece? child = null;
        using (var scope = store.BeginApply())
        {
            scope.GetOrCreate("chain:r1", new Config(1), _ =>
            {
                child = scope.GetOrCreate("plugin:p", new Config(5), c => new Piece(c.Value));
                return new Piece(1);
            });
            scope.Commit();
        }

        // The chain is reused, so its factory does not run again; the plugin piece it asked for must stay.
        using (var scope = store.BeginApply())
        {
            scope.GetOrCreate("chain:r1", new Config(1), _ => new Piece(-1));
            scope.Commit();
        }

        Assert.False(child!.Disposed);
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void TryKeep_keeps_the_last_piece_whatever_the_new_configuration()
    {
        var store = new PolicyStateStore();
        var held = Apply(store, "plugin:x", 1);
        using var scope = store.BeginApply();
        Assert.True(scope.TryKeep<Piece>("plugin:x", out var kept));
        Assert.Same(held, kept);
        scope.Commit();
        Assert.False(held.Disposed);
    }
}
