using System.Globalization;
using Higress.Core.Balancing;
using Xunit.Abstractions;

namespace Higress.Core.Tests.Balancing;

/// <summary>The ring and Maglev tables: stable keys, small movement when a member leaves, weights honoured.</summary>
public sealed class HashTableTests(ITestOutputHelper output)
{
    private const int Keys = 10_000;

    private static string[] Names(int count) => [.. Enumerable.Range(1, count).Select(i => $"10.0.0.{i}:8080")];

    private static int[] Equal(int count) => [.. Enumerable.Repeat(1, count)];

    private static ulong Key(int i) => KeyHash.Of("user-" + i.ToString(CultureInfo.InvariantCulture));

    public static TheoryData<bool, int> Tables() => new() { { false, 1024 }, { true, 65537 } };

    [Theory]
    [MemberData(nameof(Tables))]
    public void A_key_maps_to_one_member_and_rebuilding_the_table_keeps_it_there(bool maglev, int size)
    {
        var names = Names(10);
        var first = HashTable.Build(names, Equal(10), maglev, size, Equal(10));
        var second = HashTable.Build(names, Equal(10), maglev, size, Equal(10));

        for (var i = 0; i < 1000; i++)
        {
            var member = first.Lookup(Key(i));
            Assert.InRange(member, 0, 9);
            Assert.Equal(member, first.Lookup(Key(i)));
            Assert.Equal(member, second.Lookup(Key(i)));
        }
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Removing_one_of_ten_members_moves_at_most_15_percent_of_10000_keys(bool maglev, int size)
    {
        var names = Names(10);
        var before = HashTable.Build(names, Equal(10), maglev, size, Equal(10));
        var remaining = names.Where((_, i) => i != 3).ToArray();
        var after = HashTable.Build(remaining, Equal(9), maglev, size, Equal(10));

        var moved = 0;
        for (var i = 0; i < Keys; i++)
        {
            var owner = names[before.Lookup(Key(i))];
            if (remaining[after.Lookup(Key(i))] != owner)
            {
                moved++;
            }
        }

        var share = moved / (double)Keys;
        output.WriteLine($"{(maglev ? "maglev" : "ring")}: {share:P2} of {Keys} keys moved when 1 of 10 members left");
        Assert.InRange(share, 0.05, 0.15);
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Members_get_keys_in_proportion_to_their_weights_and_weight_0_gets_none(bool maglev, int size)
    {
        var names = Names(4);
        var table = HashTable.Build(names, [1, 2, 7, 0], maglev, size, [1, 2, 7, 0]);
        var counts = new int[4];
        for (var i = 0; i < Keys; i++)
        {
            counts[table.Lookup(Key(i))]++;
        }

        output.WriteLine(string.Join(", ", counts));
        Assert.InRange(counts[0] / (double)Keys, 0.05, 0.15);
        Assert.InRange(counts[1] / (double)Keys, 0.14, 0.26);
        Assert.InRange(counts[2] / (double)Keys, 0.62, 0.78);
        Assert.Equal(0, counts[3]);
    }

    [Fact]
    public void The_ring_holds_at_least_the_minimum_size_and_every_member()
    {
        var ring = HashRing.Build(Names(3), [1, 1, 100], HashRing.Scale([1, 1, 100], 10));
        var even = HashRing.Build(Names(10), Equal(10), HashRing.Scale(Equal(10), 1024));

        Assert.Equal(102, ring.Size);
        Assert.Equal(1030, even.Size);
        Assert.Equal(-1, HashRing.Build(Names(2), [0, 0], 1).Lookup(Key(1)));
        Assert.Equal(-1, MaglevTable.Build(Names(2), [0, 0], 7).Lookup(Key(1)));
    }
}
