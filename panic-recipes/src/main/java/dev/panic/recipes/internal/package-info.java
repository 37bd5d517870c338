/** Implementation details of the recipes; not part of the API. */
package dev.panic.recipes.internal;
