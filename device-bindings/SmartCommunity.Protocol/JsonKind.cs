namespace SmartCommunity.Protocol;

public enum JsonKind
{
    None = 0,
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}
