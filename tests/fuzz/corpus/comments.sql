-- leading
select /* inner ; */ 1 -- trailing ;
; /* last