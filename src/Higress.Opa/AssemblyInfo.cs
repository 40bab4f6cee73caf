namespace Higress.Opa;
