using System.Security.Cryptography;
using System.Text;
using PgWire.Auth;

namespace PgWire.Tests.Auth;

public class Md5PasswordTests
{
    private static readonly byte[] Salt = [1, 2, 3, 4];

    [Fact]
    public void ResultFollowsTheTwoStepDefinition()
    {
        // md5(hex(md5(password + user)) + salt), computed here step by step.
        string inner = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("secret" + "md5user")));
        byte[] outer = MD5.HashData([.. Encoding.ASCII.GetBytes(inner), .. Salt]);

        byte[] result = Md5Password.Compute("md5user", "secret", Salt);

        Assert.Equal("md5" + Convert.ToHexStringLower(outer), Encoding.ASCII.GetString(result));
    }

    [Fact]
    public void ResultMatchesAValueComputedWithPythonHashlib()
    {
        // python3: 'md5' + md5(md5(b'secret' + b'md5user').hexdigest().encode() + bytes([1, 2, 3, 4])).hexdigest()
        Assert.Equal("md56b614f1bd5dc8478f5705c783c9bbdc0", Encoding.ASCII.GetString(Md5Password.Compute("md5user", "secret", Salt)));
    }

    [Fact]
    public void SaltChangesTheResult()
    {
        Assert.NotEqual(Md5Password.Compute("md5user", "secret", Salt), Md5Password.Compute("md5user", "secret", [1, 2, 3, 5]));
    }

    [Fact]
    public void NonAsciiPasswordIsHashedAsUtf8()
    {
        string inner = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("p\u00e4ss" + "u")));
        byte[] outer = MD5.HashData([.. Encoding.ASCII.GetBytes(inner), .. Salt]);

        Assert.Equal("md5" + Convert.ToHexStringLower(outer), Encoding.ASCII.GetString(Md5Password.Compute("u", "p\u00e4ss", Salt)));
    }
}
