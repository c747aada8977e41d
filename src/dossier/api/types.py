"""Field types shared by the API's schemas, bounded like the columns they fill."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Quantity = Annotated[Decimal, Field(max_digits=8, decimal_places=2, gt=0)]
SmallCount = Annotated[int, Field(ge=0, le=32_767)]
# A page of a list: at most 200 rows from ``offset``, 50 unless asked.
PageLimit = Annotated[int, Field(ge=1, le=200)]
PageOffset = Annotated[int, Field(ge=0)]
