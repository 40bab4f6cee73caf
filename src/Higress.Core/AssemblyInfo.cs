namespace Higress.Core;
