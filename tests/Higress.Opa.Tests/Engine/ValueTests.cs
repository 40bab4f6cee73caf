using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

public sealed class ValueTests
{
    [Fact]
    public void Ordering_FollowsOpaTypeOrder()
    {
        var values = new RegoValue[]
        {
            RegoSet.Create(RegoValue.Number(1)), RegoObject.Empty, RegoArray.Empty, RegoValue.String("a"),
            RegoValue.Number(1), RegoValue.True, RegoValue.Null,
        };
        var sorted = values.OrderBy(v => v, Comparer<RegoValue>.Create(RegoValue.Compare)).Select(v => v.Kind).ToArray();
        Assert.Equal([RegoKind.Null, RegoKind.Boolean, RegoKind.Number, RegoKind.String, RegoKind.Array, RegoKind.Object, RegoKind.Set], sorted);
    }

    [Fact]
    public void Numbers_AreExactForBigIntegers_AndEqualAcrossRepresentations()
    {
        var big = RegoNumber.TryParse("123456789012345678901234567890")!;
        var sum = RegoNumber.Add(big, RegoNumber.One);
        Assert.Equal("123456789012345678901234567891", sum.ToText());
        Assert.Equal(RegoNumber.FromInt64(1), RegoNumber.TryParse("1.0"));
        Assert.Equal(RegoNumber.FromInt64(1).GetHashCode(), RegoNumber.TryParse("1.0")!.GetHashCode());
        Assert.Equal(RegoNumber.FromBigInteger(BigInteger.Pow(2, 64)), RegoNumber.TryParse("18446744073709551616"));
        Assert.Equal("0.5", RegoNumber.Divide(RegoNumber.One, RegoNumber.FromInt64(2))!.ToText());
    }

    [Fact]
    public void Json_RoundTrips()
    {
        const string json = """{"a":[1,2.5,"x",true,null],"b":{"c":{}},"n":123456789012345678901234567890}""";
        var v = RegoConvert.ParseJson(json);
        Assert.Equal(json, RegoConvert.ToJson(v));
        var element = RegoConvert.ToJsonElement(v);
        Assert.Equal(v, RegoConvert.FromJson(element));
    }

    [Fact]
    public void DotNetValues_Convert()
    {
        var v = RegoValue.FromObject(new Dictionary<string, object?> { ["x"] = new[] { 1, 2 }, ["y"] = "s", ["z"] = null });
        Assert.Equal("{\"x\": [1, 2], \"y\": \"s\", \"z\": null}", v.ToString());
        var back = (Dictionary<string, object?>)v.ToObject()!;
        Assert.Equal(new List<object?> { 1L, 2L }, back["x"]);
    }
}
